package io.sluice.gateway.validation;

import java.util.Set;

import io.sluice.contracts.rest.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads typed values out of a client's JSON request, refusing a value of the wrong type or out of range with a 400
 * that names its {@code param} (the path from the request's root, e.g. {@code messages[2].tool_calls[0].id}) and
 * never repeats the value. The request validators read every field a translator or the ledger uses through these,
 * so nothing downstream meets a type it did not expect.
 */
public final class JsonParams {
    private JsonParams() {
    }

    public static ApiException invalidType(String param, String expected) {
        return ApiException.badRequest("invalid_type", param, "'" + param + "' must be " + expected);
    }

    public static ApiException invalidValue(String param, String rule) {
        return ApiException.badRequest("invalid_value", param, "'" + param + "' " + rule);
    }

    public static JsonObject object(Object value, String param) {
        if (!(value instanceof JsonObject object)) {
            throw invalidType(param, "an object");
        }
        return object;
    }

    public static JsonArray array(Object value, String param) {
        if (!(value instanceof JsonArray array)) {
            throw invalidType(param, "an array");
        }
        return array;
    }

    public static String string(Object value, String param) {
        if (!(value instanceof String text)) {
            throw invalidType(param, "a string");
        }
        return text;
    }

    public static JsonObject optionalObject(JsonObject parent, String field, String param) {
        Object value = parent.getValue(field);
        return value == null ? null : object(value, param);
    }

    public static JsonArray optionalArray(JsonObject parent, String field, String param) {
        Object value = parent.getValue(field);
        return value == null ? null : array(value, param);
    }

    public static String optionalString(JsonObject parent, String field, String param) {
        Object value = parent.getValue(field);
        return value == null ? null : string(value, param);
    }

    public static Boolean optionalBoolean(JsonObject parent, String field, String param) {
        Object value = parent.getValue(field);
        if (value != null && !(value instanceof Boolean)) {
            throw invalidType(param, "a boolean");
        }
        return (Boolean) value;
    }

    /** One of {@code allowed}. */
    public static String oneOf(Object value, String param, Set<String> allowed) {
        String text = string(value, param);
        if (!allowed.contains(text)) {
            throw invalidValue(param, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return text;
    }

    /** One of {@code allowed}, or null when absent. */
    public static String optionalOneOf(JsonObject parent, String field, String param, Set<String> allowed) {
        Object value = parent.getValue(field);
        return value == null ? null : oneOf(value, param, allowed);
    }

    /** A number from {@code min} to {@code max}, or null when absent. */
    public static Number optionalNumber(JsonObject parent, String field, String param, double min, double max) {
        Object value = parent.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw invalidType(param, "a number");
        }
        double given = number.doubleValue();
        if (!(given >= min && given <= max)) {
            throw invalidValue(param, "must be a number from " + plain(min) + " to " + plain(max));
        }
        return number;
    }

    /** An integer from {@code min} to {@code max}, or null when absent. */
    public static Integer optionalInteger(JsonObject parent, String field, String param, long min, long max) {
        Object value = parent.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw invalidValue(param, "must be an integer from " + min + " to " + max);
        }
        return ((Number) value).intValue();
    }

    /**
     * Free text that identifies something to a provider (an end-user id): a string of at most {@code maxLength}
     * characters without control characters or unpaired surrogates, or null when absent.
     */
    public static String optionalLabel(JsonObject parent, String field, String param, int maxLength) {
        String value = optionalString(parent, field, param);
        if (value != null && (value.length() > maxLength || !printable(value))) {
            throw invalidValue(param, "must be at most " + maxLength
                    + " characters, without control characters or unpaired surrogates");
        }
        return value;
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String plain(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
