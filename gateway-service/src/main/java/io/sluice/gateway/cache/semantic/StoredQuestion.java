package io.sluice.gateway.cache.semantic;

/**
 * The question of a semantic cache entry, as every replica indexes it.
 *
 * @param member the entry it leads to ({@link io.sluice.contracts.cache.CacheKeys#member})
 * @param partition what must match exactly for the question to be compared at all: namespace, scope and the hash
 *        of the conversation's context (everything but the last user message)
 * @param question the last user message's text, which the match rule's lexical guards read
 */
public record StoredQuestion(String member, String partition, String question, QuantizedVector vector) {
}
