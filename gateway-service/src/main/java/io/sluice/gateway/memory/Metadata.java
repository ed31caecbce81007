package io.sluice.gateway.memory;

import java.util.Map;

import io.sluice.gateway.validation.JsonParams;
import io.vertx.core.json.JsonObject;

/**
 * The {@code metadata} of a response or conversation, bounded as OpenAI bounds it: at most 16 pairs, keys of at most
 * 64 characters, string values of at most 512. It is stored by the orchestrator, so the bounds hold at the edge.
 */
public final class Metadata {
    static final int MAX_PAIRS = 16;
    static final int MAX_KEY_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 512;

    private Metadata() {
    }

    /** Checks the optional metadata at {@code field} of {@code parent}; a 400 naming the offending param. */
    public static void check(JsonObject parent, String field, String param) {
        JsonObject metadata = JsonParams.optionalObject(parent, field, param);
        if (metadata == null) {
            return;
        }
        if (metadata.size() > MAX_PAIRS) {
            throw JsonParams.invalidValue(param, "may hold at most " + MAX_PAIRS + " key-value pairs");
        }
        for (Map.Entry<String, Object> pair : metadata) {
            if (pair.getKey().isEmpty() || pair.getKey().length() > MAX_KEY_LENGTH) {
                throw JsonParams.invalidValue(param, "keys must be 1 to " + MAX_KEY_LENGTH + " characters");
            }
            // The param names the field, never the client's key: an error repeats nothing it sent.
            if (!(pair.getValue() instanceof String value) || value.length() > MAX_VALUE_LENGTH) {
                throw JsonParams.invalidValue(param, "values must be strings of at most " + MAX_VALUE_LENGTH
                        + " characters");
            }
        }
    }
}
