package io.sluice.benchmarks.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.embedding.MiniLmModel;

/** Untimed: the benchmark's texts are the short sentence and the 128-token text it claims to embed. */
class LocalEmbeddingBenchmarkTest {

    @Test
    void theTextsAreAShortSentenceAndOneAtTheModelsCut() {
        LocalEmbeddingBenchmark benchmark = new LocalEmbeddingBenchmark();
        benchmark.load();
        try {
            MiniLmModel.Vector sentence = benchmark.shortSentence();
            assertEquals(MiniLmModel.DIMENSIONS, sentence.values().length);
            assertEquals(7, sentence.tokens());
            assertEquals(126, benchmark.longText().tokens(), "128 with [CLS] and [SEP]: the tokenizer's cut");
        } finally {
            benchmark.close();
        }
    }
}
