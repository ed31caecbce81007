package io.sluice.sim;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Typed reads of a JSON request body that fail with {@link BadRequest} instead of ClassCastException. */
final class JsonBody {
  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  static JsonBody of(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw new BadRequest("Request body must be a JSON object");
    }
    try {
      if (Json.decodeValue(text) instanceof JsonObject object) {
        return new JsonBody(object);
      }
    } catch (DecodeException e) {
      throw new BadRequest("Request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    throw new BadRequest("Request body must be a JSON object");
  }

  /** Jackson appends source-location lines that mean nothing to the caller. */
  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }

  String requireString(String field) {
    if (json.getValue(field) instanceof String value && !value.isEmpty()) {
      return value;
    }
    throw new BadRequest("Missing required field '" + field + "' (a non-empty string)");
  }

  /** Elements of a required non-empty array, each of which must be an object. */
  List<JsonBody> requireObjects(String field) {
    if (!(json.getValue(field) instanceof JsonArray array) || array.isEmpty()) {
      throw new BadRequest("Missing required field '" + field + "' (a non-empty array)");
    }
    List<JsonBody> objects = new ArrayList<>(array.size());
    for (Object element : array) {
      if (!(element instanceof JsonObject object)) {
        throw new BadRequest("Each element of '" + field + "' must be an object");
      }
      objects.add(new JsonBody(object));
    }
    return objects;
  }

  String optionalString(String field, String fallback) {
    return json.getValue(field) instanceof String value ? value : fallback;
  }

  OptionalLong optionalLong(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!(value instanceof Number number) || number.longValue() < 0) {
      throw new BadRequest("Field '" + field + "' must be a non-negative integer");
    }
    return OptionalLong.of(number.longValue());
  }

  boolean flag(String field) {
    return Boolean.TRUE.equals(json.getValue(field));
  }

  /** A nested object, or an empty one when absent (so optional sections read naturally). */
  JsonBody object(String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw new BadRequest("Field '" + field + "' must be an object");
    }
    return new JsonBody(value == null ? new JsonObject() : (JsonObject) value);
  }

  /** The objects of an optional array (other elements skipped); empty when absent or not an array. */
  List<JsonObject> objects(String field) {
    List<JsonObject> objects = new ArrayList<>();
    if (json.getValue(field) instanceof JsonArray array) {
      array.forEach(element -> {
        if (element instanceof JsonObject object) {
          objects.add(object);
        }
      });
    }
    return objects;
  }

  boolean has(String field) {
    return json.getValue(field) != null;
  }

  Object raw(String field) {
    return json.getValue(field);
  }
}
