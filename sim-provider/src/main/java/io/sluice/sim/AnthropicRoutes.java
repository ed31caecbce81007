package io.sluice.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Anthropic Messages API: {@code POST /v1/messages}, plain and streamed. The {@code x-api-key} and
 * {@code anthropic-version} headers are accepted but not required.
 */
final class AnthropicRoutes {
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

  static final ErrorFormat ERRORS =
      (status, message) ->
          new JsonObject()
              .put("type", "error")
              .put("error", new JsonObject().put("type", errorType(status)).put("message", message));

  void mount(Router router, Pipeline pipeline) {
    router.post("/v1/messages").handler(pipeline.handler(ERRORS, this::messages));
  }

  private Pipeline.Call messages(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    String model = body.requireString("model");
    Prompt prompt = new Prompt();
    if (body.has("system")) {
      prompt.add("system", Prompt.textOf(body.raw("system")));
    }
    List<JsonBody> messages = body.requireObjects("messages");
    for (JsonBody message : messages) {
      prompt.add(message.optionalString("role", "user"), Prompt.textOf(message.raw("content")));
    }
    OptionalLong maxTokens = body.optionalLong("max_tokens");
    boolean stream = body.flag("stream");
    List<String> toolResults = toolResults(messages.get(messages.size() - 1));
    var offered =
        ToolCalls.firstTool(body.objects("tools"), tool -> tool.getValue("name") instanceof String name ? name : null, tool -> tool.getValue("input_schema"));
    return new Pipeline.Call(model, directives -> {
      if (directives.toolCall() && toolResults.isEmpty() && offered.isPresent()) {
        return stream ? streamedToolUse(model, prompt, offered.get()) : new Reply.Json(toolUse(model, prompt, offered.get()));
      }
      Completion completion =
          directives.toolCall() && !toolResults.isEmpty()
              ? ToolCalls.quote(toolResults, maxTokens)
              : CompletionText.complete(prompt, maxTokens, directives);
      return stream ? streamed(model, prompt, completion) : new Reply.Json(message(model, prompt, completion));
    });
  }

  /** Texts of the {@code tool_result} blocks of the last message when it is the user's; empty otherwise. */
  private static List<String> toolResults(JsonBody last) {
    List<String> results = new ArrayList<>();
    if ("user".equals(last.optionalString("role", "user"))) {
      for (JsonObject block : last.objects("content")) {
        if ("tool_result".equals(block.getString("type"))) {
          results.add(Prompt.textOf(block.getValue("content")));
        }
      }
    }
    return results;
  }

  private static JsonObject toolUseBlock(String id, ToolCalls.Call call, JsonObject input) {
    return new JsonObject().put("type", "tool_use").put("id", id).put("name", call.name()).put("input", input);
  }

  private static JsonObject toolUse(String model, Prompt prompt, ToolCalls.Call call) {
    return messageShell(Ids.next("msg_"), model, prompt.tokens(), call.tokens())
        .put("content", new JsonArray().add(toolUseBlock(Ids.next("toolu_"), call, call.arguments())))
        .put("stop_reason", "tool_use");
  }

  /**
   * message_start, content_block_start (a tool_use block with empty input), ping, one input_json_delta per arguments
   * piece, content_block_stop, message_delta (stop_reason tool_use), message_stop.
   */
  private static Reply streamedToolUse(String model, Prompt prompt, ToolCalls.Call call) {
    JsonObject start = new JsonObject().put("type", "message_start").put("message", messageShell(Ids.next("msg_"), model, prompt.tokens(), 1));
    JsonObject blockStart =
        new JsonObject().put("type", "content_block_start").put("index", 0).put("content_block", toolUseBlock(Ids.next("toolu_"), call, new JsonObject()));
    List<String> leading =
        List.of(
            SseFrame.event("message_start", start.encode()),
            SseFrame.event("content_block_start", blockStart.encode()),
            SseFrame.event("ping", "{\"type\": \"ping\"}"));
    List<String> content = new ArrayList<>();
    for (String piece : call.argumentPieces()) {
      JsonObject delta =
          new JsonObject().put("type", "content_block_delta").put("index", 0).put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", piece));
      content.add(SseFrame.event("content_block_delta", delta.encode()));
    }
    JsonObject messageDelta =
        new JsonObject()
            .put("type", "message_delta")
            .put("delta", new JsonObject().put("stop_reason", "tool_use").put("stop_sequence", null))
            .put("usage", new JsonObject().put("input_tokens", prompt.tokens()).put("output_tokens", call.tokens()));
    List<String> trailing =
        List.of(
            SseFrame.event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0).encode()),
            SseFrame.event("message_delta", messageDelta.encode()),
            SseFrame.event("message_stop", "{\"type\":\"message_stop\"}"));
    String malformed = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\n\n";
    return new Reply.Stream(EVENT_STREAM, leading, content, trailing, malformed);
  }

  private static JsonObject message(String model, Prompt prompt, Completion completion) {
    return messageShell(Ids.next("msg_"), model, prompt.tokens(), completion.tokens())
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", completion.text())))
        .put("stop_reason", stopReason(completion));
  }

  private static JsonObject messageShell(String id, String model, int inputTokens, int outputTokens) {
    return new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model)
        .put("content", new JsonArray())
        .put("stop_reason", null)
        .put("stop_sequence", null)
        .put("usage", usage(inputTokens, outputTokens));
  }

  /** The real event order: message_start, content_block_start, ping, deltas, then the closing events. */
  private static Reply streamed(String model, Prompt prompt, Completion completion) {
    JsonObject start = new JsonObject().put("type", "message_start").put("message", messageShell(Ids.next("msg_"), model, prompt.tokens(), 1));
    JsonObject blockStart =
        new JsonObject().put("type", "content_block_start").put("index", 0).put("content_block", new JsonObject().put("type", "text").put("text", ""));
    List<String> leading =
        List.of(
            SseFrame.event("message_start", start.encode()),
            SseFrame.event("content_block_start", blockStart.encode()),
            SseFrame.event("ping", "{\"type\": \"ping\"}"));
    List<String> content = new ArrayList<>(completion.tokens());
    for (int i = 0; i < completion.tokens(); i++) {
      JsonObject delta =
          new JsonObject().put("type", "content_block_delta").put("index", 0).put("delta", new JsonObject().put("type", "text_delta").put("text", completion.piece(i)));
      content.add(SseFrame.event("content_block_delta", delta.encode()));
    }
    JsonObject messageDelta =
        new JsonObject()
            .put("type", "message_delta")
            .put("delta", new JsonObject().put("stop_reason", stopReason(completion)).put("stop_sequence", null))
            .put("usage", new JsonObject().put("input_tokens", prompt.tokens()).put("output_tokens", completion.tokens()));
    List<String> trailing =
        List.of(
            SseFrame.event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0).encode()),
            SseFrame.event("message_delta", messageDelta.encode()),
            SseFrame.event("message_stop", "{\"type\":\"message_stop\"}"));
    String malformed = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\n\n";
    return new Reply.Stream(EVENT_STREAM, leading, content, trailing, malformed);
  }

  private static JsonObject usage(int inputTokens, int outputTokens) {
    return new JsonObject()
        .put("input_tokens", inputTokens)
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0)
        .put("output_tokens", outputTokens);
  }

  private static String stopReason(Completion completion) {
    return completion.truncated() ? "max_tokens" : "end_turn";
  }

  private static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
