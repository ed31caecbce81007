package io.sluice.gateway.cache.semantic;

/**
 * What {@link RephrasingRule} decided for one stored question and one asked question, and why.
 *
 * @param similarity cosine similarity of their embeddings
 * @param similarEnough whether it reached the rule's threshold
 * @param refusedBy the first guard that refused a similar enough candidate; null when none did, or when the
 *        candidate was not similar enough (the guards were not asked)
 */
public record Verdict(double similarity, boolean similarEnough, Guard refusedBy) {

    /** Whether the stored question's answer may be given to the asked one. */
    public boolean mayAnswer() {
        return similarEnough && refusedBy == null;
    }
}
