package io.sluice.contracts;

import java.util.regex.Pattern;

import io.sluice.contracts.rest.ApiException;
import io.vertx.core.json.JsonObject;

/**
 * What a model name may be, wherever Sluice takes one: 1 to 128 letters, digits or {@code . _ : / @ + -}. A model name
 * reaches the ledger, Redis, metric labels and the logs, so the gateway refuses a request naming anything else (400
 * naming {@code model}) and never records it; quota-service refuses such a name in a key's allow-list, the
 * orchestrator in the allow-list the gateway relays, telemetry as a metric label. Every catalogue alias and provider
 * model id in use fits it.
 */
public final class ModelName {
    public static final int MAX_LENGTH = 128;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._:/@+-]{1," + MAX_LENGTH + "}");

    private ModelName() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && RULE.matcher(name).matches();
    }

    /** The request's {@code model}, or a 400 that does not repeat what the client sent. */
    public static String of(JsonObject request) {
        Object model = request.getValue("model");
        if (model == null || model instanceof String text && text.isBlank()) {
            throw ApiException.badRequest("missing_required_parameter", "model", "you must provide a model parameter");
        }
        if (!(model instanceof String name) || !isValid(name)) {
            throw ApiException.badRequest("invalid_value", "model", "'model' must be 1 to " + MAX_LENGTH
                    + " characters, each a letter, a digit or one of . _ : / @ + -");
        }
        return name;
    }
}
