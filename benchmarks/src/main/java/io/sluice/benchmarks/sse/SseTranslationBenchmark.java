package io.sluice.benchmarks.sse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.sluice.gateway.relay.SseUsageTap;
import io.sluice.orchestrator.adapter.OpenAiCompatibleAdapter;
import io.sluice.orchestrator.adapter.OpenAiToAnthropicAdapter;
import io.sluice.orchestrator.adapter.OpenAiToGeminiAdapter;
import io.sluice.orchestrator.adapter.ProviderAdapter;
import io.sluice.orchestrator.adapter.StreamTranslator;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.OutputCapField;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.buffer.Buffer;

/**
 * What relaying one streamed answer costs in CPU, per stage: the orchestrator's stream translator of each adapter
 * (Anthropic and Gemini events to OpenAI chunks; OpenAI's own stream only watched for {@code [DONE]}) and the
 * gateway's {@link SseUsageTap} that every stream passes through on its way to the client. One operation is one
 * whole answer of {@value ProviderStreams#WORDS} content pieces fed one provider event per network chunk (see
 * {@link ProviderStreams}); divide by the event count for the cost per chunk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class SseTranslationBenchmark {
    /** The default cap on one stream event, as the orchestrator and the gateway run with it. */
    static final int MAX_EVENT_BYTES = 1_048_576;
    private List<Buffer> openAi;
    private List<Buffer> anthropic;
    private List<Buffer> gemini;
    private final ProviderAdapter openAiAdapter = new OpenAiCompatibleAdapter();
    private final ProviderAdapter anthropicAdapter = new OpenAiToAnthropicAdapter();
    private final ProviderAdapter geminiAdapter = new OpenAiToGeminiAdapter();
    private Deployment openAiDeployment;
    private Deployment anthropicDeployment;
    private Deployment geminiDeployment;

    @Setup(Level.Trial)
    public void setUp() {
        openAi = ProviderStreams.openAi();
        anthropic = ProviderStreams.anthropic();
        gemini = ProviderStreams.gemini();
        openAiDeployment = deployment(ProviderType.OPENAI, "sim-gpt");
        anthropicDeployment = deployment(ProviderType.ANTHROPIC, "sim-claude");
        geminiDeployment = deployment(ProviderType.GEMINI, "sim-gemini");
    }

    static Deployment deployment(ProviderType provider, String model) {
        return new Deployment(model + "-bench", model, provider, "http://127.0.0.1:8090", model, Optional.empty(),
                Optional.empty(), 1, 0, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(120),
                OutputCapField.MAX_COMPLETION_TOKENS);
    }

    /** Orchestrator, Anthropic Messages events to OpenAI chunks (21 provider events). */
    @Benchmark
    public void anthropicToOpenAi(Blackhole out) {
        relay(anthropicAdapter.chatStream(anthropicDeployment, "sim-claude", MAX_EVENT_BYTES), anthropic, out);
    }

    /** Orchestrator, Gemini streamGenerateContent events to OpenAI chunks (16 provider events). */
    @Benchmark
    public void geminiToOpenAi(Blackhole out) {
        relay(geminiAdapter.chatStream(geminiDeployment, "sim-gemini", MAX_EVENT_BYTES), gemini, out);
    }

    /** Orchestrator, OpenAI-compatible stream passed through, watched for [DONE] (20 events). */
    @Benchmark
    public void openAiPassThrough(Blackhole out) {
        relay(openAiAdapter.chatStream(openAiDeployment, "sim-gpt", MAX_EVENT_BYTES), openAi, out);
    }

    /** Gateway, the usage tap every OpenAI stream passes on its way to the client (20 events). */
    @Benchmark
    public void gatewayUsageTap(Blackhole out) {
        SseUsageTap tap = new SseUsageTap(true, MAX_EVENT_BYTES);
        for (Buffer chunk : openAi) {
            out.consume(tap.pass(chunk));
        }
        out.consume(tap.rest());
        out.consume(tap.usage());
    }

    private static void relay(StreamTranslator translator, List<Buffer> chunks, Blackhole out) {
        for (Buffer chunk : chunks) {
            out.consume(translator.translate(chunk));
        }
        out.consume(translator.finish());
        out.consume(translator.completed());
    }
}
