package io.sluice.orchestrator.catalog;

import java.util.Arrays;
import java.util.Optional;

/**
 * The OpenAI request field that carries the gateway's output cap to a deployment ({@code output-cap-field}):
 * {@code max_completion_tokens}, or the older {@code max_tokens} for OpenAI-compatible servers that know only that
 * one (such as older vLLM).
 */
public enum OutputCapField {
    MAX_COMPLETION_TOKENS("max_completion_tokens"),
    MAX_TOKENS("max_tokens");

    private final String field;

    OutputCapField(String field) {
        this.field = field;
    }

    /** The field's name in the request. */
    public String field() {
        return field;
    }

    static Optional<OutputCapField> named(String field) {
        return Arrays.stream(values()).filter(value -> value.field.equals(field)).findFirst();
    }
}
