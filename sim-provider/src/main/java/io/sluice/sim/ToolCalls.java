package io.sluice.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Function calling, switched on per request or per rule by the {@code tool-call} directive. The three routes read
 * their own wire format into the two facts it needs, then answer in that format:
 *
 * <ul>
 *   <li>the request offers tools and its last message is <b>not</b> a tool result: one call to the <b>first</b>
 *       offered tool ({@link #firstTool}); its arguments set the first property of the tool's parameter schema whose
 *       type is {@code string} to {@value #ARGUMENT_VALUE} ({@code {"city":"Paris"}} for a weather tool), or are
 *       {@code {}} when the schema has no such property. Finish reason {@code tool_calls} / {@code tool_use} /
 *       {@code STOP}; output tokens: one for the name plus one per {@value #PIECE_CHARS}-character piece of the
 *       arguments' JSON, and a stream sends one piece per frame;
 *   <li>the last message <b>is</b> a tool result (OpenAI: trailing {@code tool} messages; Anthropic:
 *       {@code tool_result} blocks in the last user turn; Gemini: {@code functionResponse} parts in the last turn):
 *       text, {@value #QUOTE_PREFIX} followed by the results' text with whitespace runs collapsed to one space (one
 *       word per token, cut at the request's max tokens like any completion). Gemini's {@code response} object gives
 *       its {@code content}, {@code output} or {@code result} string, else its JSON;
 *   <li>otherwise the usual deterministic completion.
 * </ul>
 */
final class ToolCalls {
  static final String ARGUMENT_VALUE = "Paris";
  static final String QUOTE_PREFIX = "Tool result:";
  static final int PIECE_CHARS = 8;

  private ToolCalls() {}

  /** A call the simulated model makes. */
  record Call(String name, JsonObject arguments) {

    /** The arguments' JSON cut into pieces of at most {@value #PIECE_CHARS} characters, for streams. */
    List<String> argumentPieces() {
      String json = arguments.encode();
      List<String> pieces = new ArrayList<>();
      for (int i = 0; i < json.length(); i += PIECE_CHARS) {
        pieces.add(json.substring(i, Math.min(json.length(), i + PIECE_CHARS)));
      }
      return pieces;
    }

    int tokens() {
      return 1 + argumentPieces().size();
    }
  }

  /** The call to the first of {@code tools}: each gives its name and parameter schema, or null when it is no tool. */
  static Optional<Call> firstTool(List<JsonObject> tools, java.util.function.Function<JsonObject, String> name,
      java.util.function.Function<JsonObject, Object> schema) {
    for (JsonObject tool : tools) {
      String toolName = name.apply(tool);
      if (toolName != null && !toolName.isEmpty()) {
        return Optional.of(new Call(toolName, arguments(schema.apply(tool))));
      }
    }
    return Optional.empty();
  }

  /** {@code {"<first string property>":"Paris"}}, or {@code {}}. */
  static JsonObject arguments(Object schema) {
    if (schema instanceof JsonObject object && object.getValue("properties") instanceof JsonObject properties) {
      for (String property : properties.fieldNames()) {
        if (properties.getValue(property) instanceof JsonObject spec && isString(spec.getValue("type"))) {
          return new JsonObject().put(property, ARGUMENT_VALUE);
        }
      }
    }
    return new JsonObject();
  }

  private static boolean isString(Object type) {
    if (type instanceof String name) {
      return name.toLowerCase(Locale.ROOT).equals("string"); // Gemini's OpenAPI schemas say STRING
    }
    return type instanceof JsonArray names && names.stream().anyMatch(ToolCalls::isString);
  }

  /** The text answer to tool results: {@value #QUOTE_PREFIX} and their text, cut at max tokens. */
  static Completion quote(List<String> results, OptionalLong maxTokens) {
    List<String> words = new ArrayList<>(List.of(QUOTE_PREFIX.split(" ")));
    for (String result : results) {
      String trimmed = result.strip();
      if (!trimmed.isEmpty()) {
        words.addAll(List.of(trimmed.split("\\s+")));
      }
    }
    long limit = Math.min(maxTokens.orElse(CompletionText.MAX_TOKENS), CompletionText.MAX_TOKENS);
    boolean truncated = words.size() > limit;
    return new Completion(truncated ? words.subList(0, (int) limit) : words, truncated);
  }

  /** Gemini's {@code functionResponse.response}: its content/output/result string, else its JSON. */
  static String geminiResultText(Object response) {
    if (response instanceof JsonObject object) {
      for (String field : List.of("content", "output", "result")) {
        if (object.getValue(field) instanceof String text) {
          return text;
        }
      }
      return object.encode();
    }
    return response == null ? "" : String.valueOf(response);
  }
}
