package io.sluice.benchmarks.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.gateway.relay.SseUsageTap;
import io.sluice.orchestrator.adapter.OpenAiCompatibleAdapter;
import io.sluice.orchestrator.adapter.OpenAiToAnthropicAdapter;
import io.sluice.orchestrator.adapter.OpenAiToGeminiAdapter;
import io.sluice.orchestrator.adapter.ProviderAdapter;
import io.sluice.orchestrator.adapter.StreamTranslator;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.buffer.Buffer;

/**
 * Untimed: the streams {@link SseTranslationBenchmark} feeds are ones the real translators read as complete
 * answers of every word, so the benchmark measures the full path (not an early bail-out on a malformed event).
 */
class ProviderStreamsTest {

    @Test
    void anthropicStreamBecomesACompleteOpenAiStream() {
        assertCompleteAnswer(new OpenAiToAnthropicAdapter(), ProviderType.ANTHROPIC, ProviderStreams.anthropic());
    }

    @Test
    void geminiStreamBecomesACompleteOpenAiStream() {
        assertCompleteAnswer(new OpenAiToGeminiAdapter(), ProviderType.GEMINI, ProviderStreams.gemini());
    }

    @Test
    void openAiStreamPassesThroughComplete() {
        assertCompleteAnswer(new OpenAiCompatibleAdapter(), ProviderType.OPENAI, ProviderStreams.openAi());
    }

    @Test
    void gatewayTapForwardsEveryEventAndReadsTheUsage() {
        SseUsageTap tap = new SseUsageTap(true, SseTranslationBenchmark.MAX_EVENT_BYTES);
        Buffer relayed = Buffer.buffer();
        ProviderStreams.openAi().forEach(chunk -> relayed.appendBuffer(tap.pass(chunk)));
        relayed.appendBuffer(tap.rest());
        assertTrue(tap.completed());
        assertEquals(ProviderStreams.WORDS, tap.usage().completion());
        assertEquals(ProviderStreams.openAi().stream().mapToInt(Buffer::length).sum(), relayed.length());
    }

    private static void assertCompleteAnswer(ProviderAdapter adapter, ProviderType provider, List<Buffer> events) {
        StreamTranslator translator = adapter.chatStream(SseTranslationBenchmark.deployment(provider, "m"), "m",
                SseTranslationBenchmark.MAX_EVENT_BYTES);
        StringBuilder out = new StringBuilder();
        events.forEach(chunk -> out.append(translator.translate(chunk)));
        out.append(translator.finish());
        assertTrue(translator.completed(), "translator saw the end of the answer");
        long contentChunks = out.toString().lines().filter(line -> line.contains("\"content\":\"")
                && !line.contains("\"content\":\"\"")).count();
        assertEquals(ProviderStreams.WORDS, contentChunks, "one OpenAI content chunk per provider text piece");
        assertTrue(out.toString().contains("\"usage\":{"), "usage chunk");
        assertTrue(out.toString().endsWith("data: [DONE]\n\n"), "closing marker");
    }
}
