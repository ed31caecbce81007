package io.sluice.contracts;

import io.vertx.core.json.JsonObject;

/** The token counts of an OpenAI {@code usage} object, whole answer or final stream chunk alike. */
public record TokenUsage(int prompt, int completion, int cached) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    /** The counts of a {@code usage} object; what is missing or not a number counts 0. */
    public static TokenUsage of(JsonObject usage) {
        if (usage == null) {
            return NONE;
        }
        return new TokenUsage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
                usage.getValue("prompt_tokens_details") instanceof JsonObject details
                        ? count(details, "cached_tokens") : 0);
    }

    /** The usage a complete answer reports; {@link #NONE} when it has no {@code usage} object. */
    public static TokenUsage ofAnswer(JsonObject answer) {
        return of(answer.getValue("usage") instanceof JsonObject usage ? usage : null);
    }

    private static int count(JsonObject object, String field) {
        return object.getValue(field) instanceof Number count ? count.intValue() : 0;
    }

    /** {@code prompt,completion,cached}: the value of {@link RelayHeaders#USAGE}. */
    public String headerValue() {
        return prompt + "," + completion + "," + cached;
    }

    /** The counts in a {@link RelayHeaders#USAGE} value; {@code null} when there is none or it is not three counts. */
    public static TokenUsage fromHeaderValue(String value) {
        if (value == null) {
            return null;
        }
        String[] counts = value.split(",", -1);
        if (counts.length != 3) {
            return null;
        }
        try {
            return new TokenUsage(Integer.parseInt(counts[0]), Integer.parseInt(counts[1]),
                    Integer.parseInt(counts[2]));
        } catch (NumberFormatException malformed) {
            return null;
        }
    }
}
