package io.sluice.gateway.cache.semantic;

import java.util.EnumSet;
import java.util.Set;

/**
 * Decides whether a stored question's answer may be given to an asked question: the asked one must be a rephrasing
 * of the stored one, not a near miss. Two conditions: their embeddings are at least {@code threshold} alike (cosine),
 * and no {@link Guard} finds a difference that embeddings miss (another number, name, negation or opposite term, the
 * sides of a relation swapped, one slot of the same sentence filled differently). The embedding alone cannot tell:
 * with all-MiniLM-L6-v2, on the test set, rephrasings score from 0.69 to 0.98 and near misses up to 0.99
 * ("from London to New York" / "from New York to London").
 *
 * <p>Only the last user message is compared; the caller has already required the rest of the request (system prompt,
 * tools, earlier turns, parameters) to be identical ({@link SemanticRequest}). Pure and cheap (one dot product and a
 * few set lookups), since it runs on every candidate of a lookup.
 *
 * @param threshold the least cosine similarity of a rephrasing
 * @param guards the guards applied; {@link #standard()} applies them all
 */
public record RephrasingRule(double threshold, Set<Guard> guards) {

    /**
     * Chosen from the evaluation (benchmarks/RESULTS.md, "Semantic cache: the match rule"): the lowest threshold at
     * which the test sets pooled keep a precision of 0.99, and 0.07 above the most similar other question on the
     * same subject when it was chosen. Lower finds more rephrasings (0.80: recall 0.80 instead of 0.67) and answers
     * related questions: the most similar seen since scores 0.846.
     */
    public static final double DEFAULT_THRESHOLD = 0.85;

    public RephrasingRule {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("a similarity threshold is in (0, 1], not " + threshold);
        }
        guards = guards.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(guards));
    }

    /** The default threshold with every guard. */
    public static RephrasingRule standard() {
        return withThreshold(DEFAULT_THRESHOLD);
    }

    /** Every guard, at the given threshold. */
    public static RephrasingRule withThreshold(double threshold) {
        return new RephrasingRule(threshold, EnumSet.allOf(Guard.class));
    }

    public Verdict judge(EmbeddedQuestion stored, EmbeddedQuestion asked) {
        double similarity = stored.similarity(asked);
        if (similarity < threshold) {
            return new Verdict(similarity, false, null);
        }
        for (Guard guard : Guard.values()) {
            if (guards.contains(guard) && guard.refuses(stored.anchors(), asked.anchors())) {
                return new Verdict(similarity, true, guard);
            }
        }
        return new Verdict(similarity, true, null);
    }

    public boolean mayAnswer(EmbeddedQuestion stored, EmbeddedQuestion asked) {
        return judge(stored, asked).mayAnswer();
    }
}
