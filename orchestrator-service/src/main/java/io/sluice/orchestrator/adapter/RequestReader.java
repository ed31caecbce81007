package io.sluice.orchestrator.adapter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a client's OpenAI request for the adapters: a value of the wrong type fails with an
 * {@link InvalidRequestException} naming its path instead of a {@code ClassCastException}, so that a malformed
 * request is the client's 400 and never a deployment fault. {@code param} is the path of {@code parent} itself
 * ("" for the request); absent and JSON null read as absent.
 */
public final class RequestReader {
    private RequestReader() {
    }

    public static String path(String param, String field) {
        return param.isEmpty() ? field : param + "." + field;
    }

    public static String path(String param, int index) {
        return param + "[" + index + "]";
    }

    /** The array under {@code field}, or null when absent. */
    public static JsonArray array(JsonObject parent, String param, String field) {
        return typed(parent, param, field, JsonArray.class, "an array");
    }

    /** The array under {@code field}; absent is as wrong as a value of another type. */
    public static JsonArray requiredArray(JsonObject parent, String param, String field) {
        return required(array(parent, param, field), param, field, "an array");
    }

    public static JsonObject object(JsonObject parent, String param, String field) {
        return typed(parent, param, field, JsonObject.class, "an object");
    }

    public static JsonObject requiredObject(JsonObject parent, String param, String field) {
        return required(object(parent, param, field), param, field, "an object");
    }

    /** Element {@code index} of {@code array}, which must be an object. */
    public static JsonObject objectAt(JsonArray array, String param, int index) {
        if (array.getValue(index) instanceof JsonObject object) {
            return object;
        }
        throw wrongType(path(param, index), "an object");
    }

    public static String string(JsonObject parent, String param, String field) {
        return typed(parent, param, field, String.class, "a string");
    }

    /** A string that must be present and not empty (a name a provider requires). */
    public static String requiredString(JsonObject parent, String param, String field) {
        String value = string(parent, param, field);
        return required(value == null || value.isEmpty() ? null : value, param, field, "a non-empty string");
    }

    public static Number number(JsonObject parent, String param, String field) {
        return typed(parent, param, field, Number.class, "a number");
    }

    /** A whole number of at least 1, or null when absent. */
    public static Integer positiveInteger(JsonObject parent, String param, String field) {
        Object value = parent.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > Integer.MAX_VALUE) {
            throw new InvalidRequestException("invalid_value", path(param, field),
                    "'" + path(param, field) + "' must be a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return ((Number) value).intValue();
    }

    /** The boolean under {@code field}, or null when absent (for flags whose default is true). */
    public static Boolean optionalFlag(JsonObject parent, String param, String field) {
        return typed(parent, param, field, Boolean.class, "a boolean");
    }

    public static boolean flag(JsonObject parent, String param, String field) {
        return Boolean.TRUE.equals(typed(parent, param, field, Boolean.class, "a boolean"));
    }

    /** The value under {@code field} if it is a {@code type} (null when absent); the client's 400 otherwise. */
    private static <T> T typed(JsonObject parent, String param, String field, Class<T> type, String expected) {
        Object value = parent.getValue(field);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw wrongType(path(param, field), expected);
    }

    private static <T> T required(T value, String param, String field, String expected) {
        if (value == null) {
            throw new InvalidRequestException("missing_required_parameter", path(param, field),
                    "'" + path(param, field) + "' is required (" + expected + ")");
        }
        return value;
    }

    public static InvalidRequestException wrongType(String param, String expected) {
        return new InvalidRequestException("invalid_type", param, "'" + param + "' must be " + expected);
    }
}
