package io.sluice.gateway.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The issue's acceptance measure: on the pairs written for it ({@code semantic-cache-pairs.tsv}: rephrasings that
 * should hit, near misses that must not), embedded with the model the orchestrator serves (all-MiniLM-L6-v2,
 * quantized), the standard rule reaches a precision of 0.98 or more. Prints (to the surefire report,
 * {@code target/surefire-reports/*RephrasingRuleEvaluationTest-output.txt}) and writes
 * ({@code target/semantic-cache-evaluation.md}) precision and recall at several thresholds with and without the
 * guards, what each guard buys, the errors left, and the embedding time per question.
 */
class RephrasingRuleEvaluationTest {
    /**
     * The recall floor, a regression alarm: the standard rule finds 0.7 or more of the rephrasings, so a change that
     * loses a sixth of them fails here rather than only in the printed table.
     */
    private static final double RECALL_FLOOR = 0.6;
    private static final double[] THRESHOLDS = { 0.70, 0.75, 0.80, 0.82, 0.84, 0.85, 0.86, 0.88, 0.90, 0.92, 0.94,
            0.96, 0.98 };

    private record Pair(boolean shouldHit, String kind, EmbeddedQuestion stored, EmbeddedQuestion asked) {
    }

    private record Score(int truePositives, int falsePositives, int hits, int misses) {
        double precision() {
            return truePositives + falsePositives == 0 ? 1 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return (double) truePositives / hits;
        }
    }

    private static List<Pair> pairs;
    private static double firstEmbeddingMillis;
    private static double meanEmbeddingMillis;
    private static int questions;

    @BeforeAll
    static void embedTheTestSet() throws IOException {
        AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        List<String[]> rows = rows();
        long started = System.nanoTime();
        model.embed("warm up the model").content();
        firstEmbeddingMillis = (System.nanoTime() - started) / 1e6;
        Map<String, EmbeddedQuestion> embedded = new LinkedHashMap<>();
        long embedding = 0;
        pairs = new ArrayList<>();
        for (String[] row : rows) {
            for (String text : List.of(row[2], row[3])) {
                if (!embedded.containsKey(text)) {
                    long before = System.nanoTime();
                    float[] vector = model.embed(text).content().vector();
                    embedding += System.nanoTime() - before;
                    embedded.put(text, EmbeddedQuestion.of(text, vector));
                }
            }
            pairs.add(new Pair(row[0].equals("hit"), row[1], embedded.get(row[2]), embedded.get(row[3])));
        }
        questions = embedded.size();
        meanEmbeddingMillis = embedding / 1e6 / questions;
    }

    private static List<String[]> rows() throws IOException {
        try (InputStream in = RephrasingRuleEvaluationTest.class.getResourceAsStream("/semantic-cache-pairs.tsv")) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("expect\t")) {
                    continue;
                }
                String[] fields = line.split("\t");
                assertEquals(4, fields.length, line);
                assertTrue(fields[0].equals("hit") || fields[0].equals("miss"), line);
                rows.add(fields);
            }
            return rows;
        }
    }

    @Test
    void theStandardRuleIsPreciseAtTheDefaultThreshold() throws IOException {
        String report = report();
        System.out.println(report);
        Files.writeString(Path.of("target", "semantic-cache-evaluation.md"), report);

        Score standard = score(RephrasingRule.standard());
        assertTrue(standard.hits() >= 60 && standard.misses() >= 60, "the issue asks for 60 pairs of each kind");
        assertTrue(standard.precision() >= 0.98, "precision " + standard.precision());
        assertTrue(standard.recall() >= RECALL_FLOOR, "recall " + standard.recall());
    }

    private static Score score(RephrasingRule rule) {
        int truePositives = 0;
        int falsePositives = 0;
        int hits = 0;
        for (Pair pair : pairs) {
            boolean matched = rule.mayAnswer(pair.stored(), pair.asked());
            hits += pair.shouldHit() ? 1 : 0;
            truePositives += matched && pair.shouldHit() ? 1 : 0;
            falsePositives += matched && !pair.shouldHit() ? 1 : 0;
        }
        return new Score(truePositives, falsePositives, hits, pairs.size() - hits);
    }

    private static String report() {
        StringBuilder out = new StringBuilder();
        Score standard = score(RephrasingRule.standard());
        out.append("# Semantic cache: match rule evaluation\n\n")
                .append(String.format(Locale.ROOT, "Test set `semantic-cache-pairs.tsv`: %d rephrasings that should "
                        + "hit, %d near misses that must not. Model: all-MiniLM-L6-v2 (quantized, langchain4j "
                        + "1.19.0-beta29). Default threshold %.2f.%n%n", standard.hits(), standard.misses(),
                        RephrasingRule.DEFAULT_THRESHOLD))
                .append("## Precision and recall by threshold\n\n")
                .append("| threshold | precision, guards | recall, guards | false hits, guards "
                        + "| precision, cosine only | recall, cosine only | false hits, cosine only |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (double threshold : THRESHOLDS) {
            Score guarded = score(RephrasingRule.withThreshold(threshold));
            Score bare = score(new RephrasingRule(threshold, Set.of()));
            out.append(String.format(Locale.ROOT, "| %.2f%s | %.3f | %.3f | %d | %.3f | %.3f | %d |%n", threshold,
                    threshold == RephrasingRule.DEFAULT_THRESHOLD ? " (default)" : "", guarded.precision(),
                    guarded.recall(), guarded.falsePositives(), bare.precision(), bare.recall(),
                    bare.falsePositives()));
        }
        out.append("\n## Each guard at the default threshold\n\n")
                .append("Without it: what the rule scores with every other guard. Alone: what the rule scores with "
                        + "this guard only.\n\n")
                .append("| guard | near misses it refuses | rephrasings it refuses | precision without it "
                        + "| recall without it | precision alone | recall alone |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Guard guard : Guard.values()) {
            EnumSet<Guard> others = EnumSet.complementOf(EnumSet.of(guard));
            Score without = score(new RephrasingRule(RephrasingRule.DEFAULT_THRESHOLD, others));
            Score alone = score(new RephrasingRule(RephrasingRule.DEFAULT_THRESHOLD, EnumSet.of(guard)));
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f |%n", guard,
                    refusedBy(guard, pair -> !pair.shouldHit()), refusedBy(guard, Pair::shouldHit),
                    without.precision(), without.recall(), alone.precision(), alone.recall()));
        }
        out.append("\n## Errors at the default threshold\n\n");
        RephrasingRule rule = RephrasingRule.standard();
        for (Pair pair : pairs) {
            Verdict verdict = rule.judge(pair.stored(), pair.asked());
            if (verdict.mayAnswer() != pair.shouldHit()) {
                out.append(String.format(Locale.ROOT, "- %s (%s, cosine %.3f%s): \"%s\" / \"%s\"%n",
                        pair.shouldHit() ? "missed rephrasing" : "FALSE HIT", pair.kind(), verdict.similarity(),
                        verdict.refusedBy() == null ? "" : ", refused by " + verdict.refusedBy(),
                        pair.stored().text(), pair.asked().text()));
            }
        }
        out.append(String.format(Locale.ROOT, "%n## Embedding time%n%nFirst call (loads the model's session): "
                + "%.1f ms. Then %.2f ms per question on average over %d questions (one at a time, this machine, "
                + "%d cores, shared).%n", firstEmbeddingMillis, meanEmbeddingMillis, questions,
                Runtime.getRuntime().availableProcessors()));
        return out.toString();
    }

    /** Pairs of the kind that the guard refuses on its own, whatever their similarity. */
    private static long refusedBy(Guard guard, Predicate<Pair> kind) {
        return pairs.stream().filter(kind)
                .filter(pair -> guard.refuses(pair.stored().anchors(), pair.asked().anchors())).count();
    }
}
