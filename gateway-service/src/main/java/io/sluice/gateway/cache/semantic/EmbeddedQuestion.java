package io.sluice.gateway.cache.semantic;

import java.util.Objects;

/**
 * A question (the last user message of a request) with what {@link RephrasingRule} compares: its embedding and its
 * {@link QuestionAnchors}. Built once per question, so a lookup that compares one asked question with many stored
 * ones extracts nothing twice.
 *
 * @param vector the embedding (all-MiniLM-L6-v2: 384 floats); need not be normalised
 * @param norm the vector's Euclidean length, kept so that a comparison is one dot product
 */
public record EmbeddedQuestion(String text, float[] vector, double norm, QuestionAnchors anchors) {

    public EmbeddedQuestion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(anchors, "anchors");
    }

    public static EmbeddedQuestion of(String text, float[] vector) {
        double squares = 0;
        for (float component : vector) {
            squares += component * component;
        }
        return new EmbeddedQuestion(text, vector, Math.sqrt(squares), QuestionAnchors.of(text));
    }

    /**
     * Cosine similarity of the two embeddings, in [-1, 1]; 0 when they cannot be compared (different lengths, as
     * from another model, or a zero vector), so that such a candidate never matches.
     */
    public double similarity(EmbeddedQuestion other) {
        if (vector.length != other.vector.length || norm == 0 || other.norm == 0) {
            return 0;
        }
        double dot = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += vector[i] * other.vector[i];
        }
        return dot / (norm * other.norm);
    }
}
