package io.sluice.sim;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** OpenAI-compatible endpoints: chat completions (plain and streamed), embeddings, model list. */
final class OpenAiRoutes {
  static final List<String> MODELS = List.of("sim-gpt", "sim-gpt-mini", "sim-claude", "sim-gemini", "sim-embed");
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
  private static final long MODELS_CREATED = 1_700_000_000L;

  static final ErrorFormat ERRORS =
      (status, message) ->
          new JsonObject()
              .put("error", new JsonObject().put("message", message).put("type", errorType(status)).put("param", null).put("code", errorCode(status)));

  void mount(Router router, Pipeline pipeline) {
    router.post("/v1/chat/completions").handler(pipeline.handler(ERRORS, this::chatCompletion));
    router.post("/v1/embeddings").handler(pipeline.handler(ERRORS, this::embeddings));
    router.get("/v1/models").handler(pipeline.handler(ERRORS, ctx -> new Pipeline.Call(null, d -> new Reply.Json(modelList()))));
  }

  private Pipeline.Call chatCompletion(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    String model = body.requireString("model");
    Prompt prompt = new Prompt();
    List<JsonBody> messages = body.requireObjects("messages");
    for (JsonBody message : messages) {
      prompt.add(message.optionalString("role", "user"), Prompt.textOf(message.raw("content")));
    }
    OptionalLong maxTokens = body.has("max_completion_tokens") ? body.optionalLong("max_completion_tokens") : body.optionalLong("max_tokens");
    boolean stream = body.flag("stream");
    boolean includeUsage = body.object("stream_options").flag("include_usage");
    List<String> toolResults = toolResults(messages);
    var offered = ToolCalls.firstTool(body.objects("tools"), OpenAiRoutes::toolName, tool -> tool.getJsonObject("function", new JsonObject()).getValue("parameters"));
    return new Pipeline.Call(model, directives -> {
      int cached = (int) Math.min(prompt.tokens(), directives.cached().orElse(0));
      if (directives.toolCall() && toolResults.isEmpty() && offered.isPresent()) {
        JsonObject usage = usage(prompt.tokens(), offered.get().tokens(), cached);
        return stream
            ? streamedToolCall(model, offered.get(), includeUsage ? usage : null)
            : new Reply.Json(toolCallObject(model, offered.get(), usage));
      }
      Completion completion =
          directives.toolCall() && !toolResults.isEmpty()
              ? ToolCalls.quote(toolResults, maxTokens)
              : CompletionText.complete(prompt, maxTokens, directives);
      JsonObject usage = usage(prompt.tokens(), completion.tokens(), cached);
      return stream
          ? streamed(model, completion, includeUsage ? usage : null)
          : new Reply.Json(completionObject(model, completion, usage));
    });
  }

  /** A function tool's name ({@code {"type":"function","function":{"name":…}}}), else null. */
  private static String toolName(JsonObject tool) {
    return tool.getValue("function") instanceof JsonObject function && function.getValue("name") instanceof String name ? name : null;
  }

  /** Texts of the trailing {@code tool} messages, oldest first; empty when the last message is no tool result. */
  private static List<String> toolResults(List<JsonBody> messages) {
    List<String> results = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).optionalString("role", "")); i--) {
      results.add(0, Prompt.textOf(messages.get(i).raw("content")));
    }
    return results;
  }

  private static JsonObject toolCallJson(String callId, ToolCalls.Call call) {
    return new JsonObject()
        .put("id", callId)
        .put("type", "function")
        .put("function", new JsonObject().put("name", call.name()).put("arguments", call.arguments().encode()));
  }

  private static JsonObject toolCallObject(String model, ToolCalls.Call call, JsonObject usage) {
    JsonObject message =
        new JsonObject()
            .put("role", "assistant")
            .put("content", null)
            .put("tool_calls", new JsonArray().add(toolCallJson(Ids.next("call_"), call)))
            .put("refusal", null);
    return new JsonObject()
        .put("id", Ids.next("chatcmpl-"))
        .put("object", "chat.completion")
        .put("created", nowSeconds())
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message).put("logprobs", null).put("finish_reason", "tool_calls")))
        .put("usage", usage);
  }

  /**
   * Role chunk, a tool-call delta with id, type, name and empty arguments, one delta per arguments piece, a finish
   * chunk ({@code tool_calls}), optional usage, then [DONE].
   */
  private static Reply streamedToolCall(String model, ToolCalls.Call call, JsonObject usageOrNull) {
    String id = Ids.next("chatcmpl-");
    long created = nowSeconds();
    JsonObject opening = toolCallJson(Ids.next("call_"), call).put("index", 0);
    opening.getJsonObject("function").put("arguments", "");
    List<String> content = new ArrayList<>();
    content.add(SseFrame.data(chunk(id, created, model, new JsonObject().put("tool_calls", new JsonArray().add(opening)), null).encode()));
    for (String piece : call.argumentPieces()) {
      JsonObject delta = new JsonObject().put("index", 0).put("function", new JsonObject().put("arguments", piece));
      content.add(SseFrame.data(chunk(id, created, model, new JsonObject().put("tool_calls", new JsonArray().add(delta)), null).encode()));
    }
    List<String> trailing = new ArrayList<>();
    trailing.add(SseFrame.data(chunk(id, created, model, new JsonObject(), "tool_calls").encode()));
    if (usageOrNull != null) {
      trailing.add(SseFrame.data(chunkShell(id, created, model).put("choices", new JsonArray()).put("usage", usageOrNull).encode()));
    }
    trailing.add(SseFrame.data("[DONE]"));
    String roleChunk = chunk(id, created, model, new JsonObject().put("role", "assistant").put("content", null), null).encode();
    String malformed = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"tool_calls\":\n\n";
    return new Reply.Stream(EVENT_STREAM, List.of(SseFrame.data(roleChunk)), content, trailing, malformed);
  }

  private static JsonObject completionObject(String model, Completion completion, JsonObject usage) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", completion.text()).put("refusal", null);
    return new JsonObject()
        .put("id", Ids.next("chatcmpl-"))
        .put("object", "chat.completion")
        .put("created", nowSeconds())
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message).put("logprobs", null).put("finish_reason", finishReason(completion))))
        .put("usage", usage);
  }

  /** Role chunk, one content chunk per word, finish chunk, optional usage chunk, then [DONE]. */
  private static Reply streamed(String model, Completion completion, JsonObject usageOrNull) {
    String id = Ids.next("chatcmpl-");
    long created = nowSeconds();
    List<String> content = new ArrayList<>(completion.tokens());
    for (int i = 0; i < completion.tokens(); i++) {
      content.add(SseFrame.data(chunk(id, created, model, new JsonObject().put("content", completion.piece(i)), null).encode()));
    }
    List<String> trailing = new ArrayList<>();
    trailing.add(SseFrame.data(chunk(id, created, model, new JsonObject(), finishReason(completion)).encode()));
    if (usageOrNull != null) {
      JsonObject usageChunk = chunkShell(id, created, model).put("choices", new JsonArray()).put("usage", usageOrNull);
      trailing.add(SseFrame.data(usageChunk.encode()));
    }
    trailing.add(SseFrame.data("[DONE]"));
    String roleChunk = chunk(id, created, model, new JsonObject().put("role", "assistant").put("content", ""), null).encode();
    String malformed = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\n\n";
    return new Reply.Stream(EVENT_STREAM, List.of(SseFrame.data(roleChunk)), content, trailing, malformed);
  }

  private static JsonObject chunk(String id, long created, String model, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", null).put("finish_reason", finishReason);
    return chunkShell(id, created, model).put("choices", new JsonArray().add(choice));
  }

  private static JsonObject chunkShell(String id, long created, String model) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
  }

  private Pipeline.Call embeddings(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    String model = body.requireString("model");
    List<String> inputs = embeddingInputs(body.raw("input"));
    int dimensions = Embeddings.dimensions(body.optionalLong("dimensions"));
    boolean base64 = "base64".equals(body.optionalString("encoding_format", "float"));
    return new Pipeline.Call(model, directives -> {
      JsonArray data = new JsonArray();
      int tokens = 0;
      for (int i = 0; i < inputs.size(); i++) {
        float[] vector = Embeddings.vector(inputs.get(i), dimensions);
        Object embedding = base64 ? Embeddings.toBase64(vector) : Embeddings.toJson(vector);
        data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", embedding));
        tokens += Prompt.countWords(inputs.get(i));
      }
      return new Reply.Json(
          new JsonObject()
              .put("object", "list")
              .put("data", data)
              .put("model", model)
              .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens)));
    });
  }

  /** {@code input}: a string, or an array of strings (token-id arrays are hashed as their JSON text). */
  private static List<String> embeddingInputs(Object input) {
    if (input instanceof String text) {
      return List.of(text);
    }
    if (input instanceof JsonArray array && !array.isEmpty()) {
      if (array.stream().allMatch(Number.class::isInstance)) {
        return List.of(array.encode()); // one input given as token ids
      }
      return array.stream().map(item -> item instanceof String text ? text : Json.encode(item)).toList();
    }
    throw new BadRequest("Missing required field 'input' (a string or a non-empty array of strings)");
  }

  private static JsonObject modelList() {
    JsonArray data = new JsonArray();
    MODELS.forEach(id -> data.add(new JsonObject().put("id", id).put("object", "model").put("created", MODELS_CREATED).put("owned_by", "sluice-sim")));
    return new JsonObject().put("object", "list").put("data", data);
  }

  private static JsonObject usage(int promptTokens, int completionTokens, int cachedTokens) {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cachedTokens));
  }

  private static String finishReason(Completion completion) {
    return completion.truncated() ? "length" : "stop";
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private static String errorType(int status) {
    if (status == 429) {
      return "requests";
    }
    return status >= 500 ? "server_error" : "invalid_request_error";
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 404 -> "model_not_found";
      case 429 -> "rate_limit_exceeded";
      case 503 -> "service_unavailable";
      default -> null;
    };
  }
}
