package io.sluice.benchmarks.embedding;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.orchestrator.embedding.MiniLmModel;

/**
 * The orchestrator's built-in embedding model (local-minilm) as its worker threads run it, one call on one thread
 * with one onnxruntime thread, as configured by default: a short sentence (7 tokens, a typical cache key) and a text
 * at the model's 128-token cut, in sample time (p50, p90, p99 per call). The model's load, cold in a fresh JVM as at
 * a service's start, is {@link Load}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx96m", "-XX:+UseSerialGC"})
public class LocalEmbeddingBenchmark {
    static final String SHORT = "How do I reset my password?";
    /** Cut by the tokenizer at 128 tokens, the most one text costs. */
    static final String LONG = "The quick brown fox jumps over the lazy dog while the gateway counts its tokens. "
            .repeat(12);

    private MiniLmModel model;

    @Setup(Level.Trial)
    public void load() {
        model = MiniLmModel.load(1);
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }

    @Benchmark
    public MiniLmModel.Vector shortSentence() {
        return model.embed(SHORT);
    }

    @Benchmark
    public MiniLmModel.Vector longText() {
        return model.embed(LONG);
    }

    /** Loading the model in a fresh JVM each time: native libraries, the ONNX graph and the tokenizer. */
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 5, jvmArgs = {"-Xmx96m", "-XX:+UseSerialGC"})
    public static class Load {
        @Benchmark
        public MiniLmModel cold() {
            return MiniLmModel.load(1);
        }
    }
}
