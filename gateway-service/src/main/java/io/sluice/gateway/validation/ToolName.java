package io.sluice.gateway.validation;

import java.util.regex.Pattern;

/** A function (tool) name as OpenAI accepts it, {@code ^[a-zA-Z0-9_-]{1,64}$}; every adapter's provider takes it. */
public final class ToolName {
    private static final Pattern RULE = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ToolName() {
    }

    /** The name at {@code param}, or a 400. */
    public static String of(Object value, String param) {
        String name = JsonParams.string(value, param);
        if (!RULE.matcher(name).matches()) {
            throw JsonParams.invalidValue(param, "must be 1 to 64 letters, digits, underscores or dashes");
        }
        return name;
    }
}
