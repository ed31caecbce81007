package io.sluice.gateway.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
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
 * quantized), the standard rule reaches a precision of 0.98 or more. The held-out sets
 * ({@code semantic-cache-pairs-holdout*.tsv}), each written after the rule had been set, show how it does on pairs it
 * was not shaped by; they are reported, not asserted (see benchmarks/RESULTS.md).
 *
 * <p>Prints (to {@code target/surefire-reports/*RephrasingRuleEvaluationTest-output.txt}) and writes
 * ({@code target/semantic-cache-evaluation.md}) precision and recall at several thresholds with and without the
 * guards, what each guard buys, the near misses only the threshold stops, the errors left, and the embedding time
 * per question. Times are printed, never asserted.
 */
class RephrasingRuleEvaluationTest {
    /**
     * A regression alarm, not a target: the standard rule finds about 0.7 of the rephrasings, so a change that loses
     * a seventh of them fails here rather than only in the printed table.
     */
    private static final double RECALL_FLOOR = 0.6;
    private static final double[] THRESHOLDS = { 0.70, 0.75, 0.80, 0.82, 0.84, 0.85, 0.86, 0.88, 0.90, 0.92, 0.94,
            0.96, 0.98 };

    private record Pair(boolean shouldHit, String kind, EmbeddedQuestion stored, EmbeddedQuestion asked) {
    }

    private record TestSet(String file, List<Pair> pairs) {
        Score score(RephrasingRule rule) {
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

        /** Pairs of one kind that the guard refuses on its own, whatever their similarity. */
        long refusedBy(Guard guard, Predicate<Pair> kind) {
            return pairs.stream().filter(kind)
                    .filter(pair -> guard.refuses(pair.stored().anchors(), pair.asked().anchors())).count();
        }
    }

    private record Score(int truePositives, int falsePositives, int hits, int misses) {
        /** 1 when nothing matched: no answer was given wrongly. */
        double precision() {
            return truePositives + falsePositives == 0 ? 1 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return (double) truePositives / hits;
        }
    }

    /** The issue's set first, then the held-out sets in the order they were written. */
    private static List<TestSet> sets;
    /** The same, with 8-bit vectors as the gateway's index keeps them and compares them ({@link QuantizedVector}). */
    private static List<TestSet> quantizedSets;
    private static double firstEmbeddingMillis;
    /** Milliseconds of each question's embedding, in the order embedded. */
    private static final List<Double> embeddingMillis = new ArrayList<>();

    @BeforeAll
    static void embedTheTestSets() throws IOException {
        AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        long started = System.nanoTime();
        model.embed("warm up the model").content();
        firstEmbeddingMillis = (System.nanoTime() - started) / 1e6;
        Map<String, EmbeddedQuestion> embedded = new HashMap<>();
        Map<String, EmbeddedQuestion> quantized = new HashMap<>();
        sets = new ArrayList<>();
        quantizedSets = new ArrayList<>();
        for (String file : List.of("semantic-cache-pairs.tsv", "semantic-cache-pairs-holdout.tsv",
                "semantic-cache-pairs-holdout2.tsv", "semantic-cache-pairs-holdout3.tsv")) {
            List<Pair> pairs = new ArrayList<>();
            List<Pair> quantizedPairs = new ArrayList<>();
            for (String[] row : rows(file)) {
                for (String text : List.of(row[2], row[3])) {
                    if (!embedded.containsKey(text)) {
                        long before = System.nanoTime();
                        float[] vector = model.embed(text).content().vector();
                        embeddingMillis.add((System.nanoTime() - before) / 1e6);
                        embedded.put(text, EmbeddedQuestion.of(text, vector));
                        quantized.put(text, EmbeddedQuestion.of(text, QuantizedVector.of(vector).floats()));
                    }
                }
                pairs.add(new Pair(row[0].equals("hit"), row[1], embedded.get(row[2]), embedded.get(row[3])));
                quantizedPairs.add(new Pair(row[0].equals("hit"), row[1], quantized.get(row[2]),
                        quantized.get(row[3])));
            }
            sets.add(new TestSet(file, pairs));
            quantizedSets.add(new TestSet(file, quantizedPairs));
        }
    }

    private static List<String[]> rows(String file) throws IOException {
        try (InputStream in = RephrasingRuleEvaluationTest.class.getResourceAsStream("/" + file)) {
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

        for (TestSet issueSet : List.of(sets.get(0), quantizedSets.get(0))) {
            Score standard = issueSet.score(RephrasingRule.standard());
            assertTrue(standard.hits() >= 60 && standard.misses() >= 60, "the issue asks for 60 pairs of each kind");
            assertTrue(standard.precision() >= 0.98, "precision " + standard.precision());
            assertTrue(standard.recall() >= RECALL_FLOOR, "recall " + standard.recall());
        }
    }

    private static String report() {
        StringBuilder out = new StringBuilder("# Semantic cache: match rule evaluation\n\n");
        out.append(String.format(Locale.ROOT, "Model: all-MiniLM-L6-v2 (quantized, langchain4j 1.19.0-beta29). "
                + "Rule: `RephrasingRule`, default threshold %.2f. A pair is a stored question and an asked one "
                + "with the same context; precision is the share of matched pairs that are true rephrasings, "
                + "recall the share of rephrasings matched.%n", RephrasingRule.DEFAULT_THRESHOLD));
        for (TestSet set : sets) {
            report(set, out);
        }
        TestSet pooled = new TestSet("all sets pooled",
                sets.stream().flatMap(set -> set.pairs().stream()).toList());
        Score standard = pooled.score(RephrasingRule.standard());
        out.append(String.format(Locale.ROOT, "%n## All sets pooled: %d rephrasings, %d near misses%n%n",
                standard.hits(), standard.misses()));
        thresholdTable(pooled, out);
        quantizedReport(out);
        List<Double> sorted = embeddingMillis.stream().sorted().toList();
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        out.append(String.format(Locale.ROOT, "%n## Embedding time%n%nOne question at a time, on %d cores shared with "
                + "other builds: first call %.1f ms; then over %d questions mean %.2f ms, median %.2f ms, p95 %.2f ms, "
                + "max %.2f ms.%n", Runtime.getRuntime().availableProcessors(), firstEmbeddingMillis, sorted.size(),
                mean, sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)),
                sorted.get(sorted.size() - 1)));
        return out.toString();
    }

    private static void report(TestSet set, StringBuilder out) {
        Score standard = set.score(RephrasingRule.standard());
        out.append(String.format(Locale.ROOT, "%n## `%s`: %d rephrasings, %d near misses%n%n", set.file(),
                standard.hits(), standard.misses()));
        thresholdTable(set, out);
        out.append("\nEach guard at the default threshold: how many pairs it refuses on its own (at any "
                + "similarity), and the rule's scores without it and with it alone.\n\n")
                .append("| guard | near misses refused | rephrasings refused | precision without | recall without "
                        + "| precision alone | recall alone |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Guard guard : Guard.values()) {
            Score without = set.score(new RephrasingRule(RephrasingRule.DEFAULT_THRESHOLD,
                    EnumSet.complementOf(EnumSet.of(guard))));
            Score alone = set.score(new RephrasingRule(RephrasingRule.DEFAULT_THRESHOLD, EnumSet.of(guard)));
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f |%n", guard,
                    set.refusedBy(guard, pair -> !pair.shouldHit()), set.refusedBy(guard, Pair::shouldHit),
                    without.precision(), without.recall(), alone.precision(), alone.recall()));
        }
        out.append("\nNear misses that pass every guard, which only the threshold refuses:\n\n");
        RephrasingRule guardsOnly = RephrasingRule.withThreshold(Double.MIN_VALUE);
        List<String> unguarded = set.pairs().stream().filter(pair -> !pair.shouldHit())
                .map(pair -> Map.entry(pair, guardsOnly.judge(pair.stored(), pair.asked())))
                .filter(judged -> judged.getValue().mayAnswer())
                .sorted(Comparator.comparingDouble(judged -> -judged.getValue().similarity()))
                .map(judged -> String.format(Locale.ROOT, "- %.3f (%s): \"%s\" / \"%s\"%n",
                        judged.getValue().similarity(), judged.getKey().kind(), judged.getKey().stored().text(),
                        judged.getKey().asked().text()))
                .toList();
        out.append(unguarded.isEmpty() ? "- none\n" : String.join("", unguarded));
        out.append("\nErrors at the default threshold:\n\n");
        RephrasingRule rule = RephrasingRule.standard();
        for (Pair pair : set.pairs()) {
            Verdict verdict = rule.judge(pair.stored(), pair.asked());
            if (verdict.mayAnswer() != pair.shouldHit()) {
                out.append(String.format(Locale.ROOT, "- %s (%s, cosine %.3f%s): \"%s\" / \"%s\"%n",
                        pair.shouldHit() ? "missed rephrasing" : "FALSE HIT", pair.kind(), verdict.similarity(),
                        verdict.refusedBy() == null ? "" : ", refused by " + verdict.refusedBy(),
                        pair.stored().text(), pair.asked().text()));
            }
        }
    }

    /** The gateway compares 8-bit vectors: how far that moves the cosines, and the scores it gives. */
    private static void quantizedReport(StringBuilder out) {
        double largestShift = 0;
        double sumShift = 0;
        int pairs = 0;
        for (int s = 0; s < sets.size(); s++) {
            for (int p = 0; p < sets.get(s).pairs().size(); p++) {
                Pair exact = sets.get(s).pairs().get(p);
                Pair stored = quantizedSets.get(s).pairs().get(p);
                double shift = Math.abs(exact.stored().similarity(exact.asked())
                        - stored.stored().similarity(stored.asked()));
                largestShift = Math.max(largestShift, shift);
                sumShift += shift;
                pairs++;
            }
        }
        out.append(String.format(Locale.ROOT, "%n## With 8-bit vectors, as the gateway compares them%n%n"
                + "`QuantizedVector` (each component times 127, rounded) moves a pair's cosine by %.4f on average, "
                + "%.4f at most, over %d pairs.%n%n", sumShift / pairs, largestShift, pairs))
                .append("| set | precision | recall | false hits |\n|---|---|---|---|\n");
        for (TestSet set : quantizedSets) {
            Score score = set.score(RephrasingRule.standard());
            out.append(String.format(Locale.ROOT, "| `%s` | %.3f | %.3f | %d |%n", set.file(), score.precision(),
                    score.recall(), score.falsePositives()));
        }
        TestSet pooled = new TestSet("all sets pooled",
                quantizedSets.stream().flatMap(set -> set.pairs().stream()).toList());
        out.append("\nAll sets pooled, 8-bit vectors:\n\n");
        thresholdTable(pooled, out);
    }

    private static void thresholdTable(TestSet set, StringBuilder out) {
        out.append("| threshold | precision | recall | false hits | precision, cosine only "
                + "| recall, cosine only | false hits, cosine only |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (double threshold : THRESHOLDS) {
            Score guarded = set.score(RephrasingRule.withThreshold(threshold));
            Score bare = set.score(new RephrasingRule(threshold, Set.of()));
            out.append(String.format(Locale.ROOT, "| %.2f%s | %.3f | %.3f | %d | %.3f | %.3f | %d |%n", threshold,
                    threshold == RephrasingRule.DEFAULT_THRESHOLD ? " (default)" : "", guarded.precision(),
                    guarded.recall(), guarded.falsePositives(), bare.precision(), bare.recall(),
                    bare.falsePositives()));
        }
    }
}
