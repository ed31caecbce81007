package io.sluice.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini API: {@code /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent}
 * ({@code ?alt=sse} for SSE, otherwise a streamed JSON array), {@code :embedContent} and
 * {@code :batchEmbedContents}. {@code /v1/...} works too.
 */
final class GeminiRoutes {
  /** The method sits after a colon inside the last path segment, so plain path params can't split it. */
  private static String methodPath(String method) {
    return "/v1(?:beta)?/models/([^/:]+)(?::|%3A)" + method;
  }

  static final ErrorFormat ERRORS =
      (status, message) ->
          new JsonObject().put("error", new JsonObject().put("code", status).put("message", message).put("status", statusName(status)));

  void mount(Router router, Pipeline pipeline) {
    router.postWithRegex(methodPath("generateContent")).handler(pipeline.handler(ERRORS, ctx -> generate(ctx, false)));
    router.postWithRegex(methodPath("streamGenerateContent")).handler(pipeline.handler(ERRORS, ctx -> generate(ctx, true)));
    router.postWithRegex(methodPath("embedContent")).handler(pipeline.handler(ERRORS, this::embedContent));
    router.postWithRegex(methodPath("batchEmbedContents")).handler(pipeline.handler(ERRORS, this::batchEmbedContents));
  }

  private static String model(RoutingContext ctx) {
    return ctx.pathParam("param0");
  }

  private Pipeline.Call generate(RoutingContext ctx, boolean stream) {
    String model = model(ctx);
    JsonBody body = JsonBody.of(ctx);
    Prompt prompt = new Prompt();
    if (body.has("systemInstruction")) {
      prompt.add("system", Prompt.textOf(body.object("systemInstruction").raw("parts")));
    }
    List<JsonBody> contents = body.requireObjects("contents");
    for (JsonBody content : contents) {
      prompt.add(content.optionalString("role", "user"), Prompt.textOf(content.raw("parts")));
    }
    var maxTokens = body.object("generationConfig").optionalLong("maxOutputTokens");
    boolean sse = "sse".equals(ctx.request().getParam("alt"));
    List<String> toolResults = toolResults(contents.get(contents.size() - 1));
    var offered = ToolCalls.firstTool(declarations(body), GeminiRoutes::declarationName, GeminiRoutes::declarationSchema);
    return new Pipeline.Call(model, directives -> {
      if (directives.toolCall() && toolResults.isEmpty() && offered.isPresent()) {
        return functionCall(model, prompt, offered.get(), stream, sse);
      }
      Completion completion =
          directives.toolCall() && !toolResults.isEmpty()
              ? ToolCalls.quote(toolResults, maxTokens)
              : CompletionText.complete(prompt, maxTokens, directives);
      if (!stream) {
        JsonObject response = response(Ids.next(""), model, completion.text(), finishReason(completion));
        return new Reply.Json(response.put("usageMetadata", usage(prompt.tokens(), completion.tokens())));
      }
      return sse ? sseStream(model, prompt, completion) : arrayStream(model, prompt, completion);
    });
  }

  /** The function declarations of every {@code tools} entry, in order. */
  private static List<JsonObject> declarations(JsonBody body) {
    List<JsonObject> declarations = new ArrayList<>();
    for (JsonObject tool : body.objects("tools")) {
      if (tool.getValue("functionDeclarations") instanceof JsonArray array) {
        array.forEach(d -> {
          if (d instanceof JsonObject declaration) {
            declarations.add(declaration);
          }
        });
      }
    }
    return declarations;
  }

  private static String declarationName(JsonObject declaration) {
    return declaration.getValue("name") instanceof String name ? name : null;
  }

  /** {@code parametersJsonSchema} (JSON Schema) or {@code parameters} (Gemini's OpenAPI subset). */
  private static Object declarationSchema(JsonObject declaration) {
    Object schema = declaration.getValue("parametersJsonSchema");
    return schema != null ? schema : declaration.getValue("parameters");
  }

  /** Texts of the {@code functionResponse} parts of the last turn; empty when it has none. */
  private static List<String> toolResults(JsonBody last) {
    List<String> results = new ArrayList<>();
    for (JsonObject part : last.objects("parts")) {
      if (part.getValue("functionResponse") instanceof JsonObject response) {
        results.add(ToolCalls.geminiResultText(response.getValue("response")));
      }
    }
    return results;
  }

  /** One candidate whose single part is the functionCall, finishReason STOP; streams send it as one chunk. */
  private static Reply functionCall(String model, Prompt prompt, ToolCalls.Call call, boolean stream, boolean sse) {
    JsonObject part = new JsonObject().put("functionCall", new JsonObject().put("name", call.name()).put("args", call.arguments()));
    JsonObject candidate =
        new JsonObject()
            .put("content", new JsonObject().put("role", "model").put("parts", new JsonArray().add(part)))
            .put("finishReason", "STOP")
            .put("index", 0);
    JsonObject response =
        new JsonObject()
            .put("candidates", new JsonArray().add(candidate))
            .put("usageMetadata", usage(prompt.tokens(), call.tokens()))
            .put("modelVersion", model)
            .put("responseId", Ids.next(""));
    if (!stream) {
      return new Reply.Json(response);
    }
    return sse
        ? new Reply.Stream("text/event-stream", List.of(), List.of(SseFrame.data(response.encode())), List.of(), "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": \n\n")
        : new Reply.Stream("application/json", List.of(), List.of("[" + response.encode()), List.of("]"), "[{\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": ");
  }

  /**
   * One GenerateContentResponse per word, each with the usageMetadata so far (the prompt's count from the first, as
   * Gemini sends it); the last also carries finishReason.
   */
  private static List<JsonObject> chunks(String model, Prompt prompt, Completion completion) {
    String id = Ids.next("");
    List<JsonObject> chunks = new ArrayList<>();
    for (int i = 0; i < completion.tokens(); i++) {
      chunks.add(response(id, model, completion.piece(i), null).put("usageMetadata", usage(prompt.tokens(), i + 1)));
    }
    if (chunks.isEmpty()) {
      chunks.add(response(id, model, "", null));
    }
    JsonObject last = chunks.get(chunks.size() - 1);
    last.getJsonArray("candidates").getJsonObject(0).put("finishReason", finishReason(completion));
    last.put("usageMetadata", usage(prompt.tokens(), completion.tokens()));
    return chunks;
  }

  private static Reply sseStream(String model, Prompt prompt, Completion completion) {
    List<String> content = new ArrayList<>();
    chunks(model, prompt, completion).forEach(chunk -> content.add(SseFrame.data(chunk.encode())));
    return new Reply.Stream("text/event-stream", List.of(), content, List.of(), "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \n\n");
  }

  /** Without alt=sse Gemini streams one JSON array, element by element. */
  private static Reply arrayStream(String model, Prompt prompt, Completion completion) {
    List<String> content = new ArrayList<>();
    for (JsonObject chunk : chunks(model, prompt, completion)) {
      content.add((content.isEmpty() ? "[" : ",\r\n") + chunk.encode());
    }
    return new Reply.Stream("application/json", List.of(), content, List.of("]"), "[{\"candidates\": [{\"content\": {\"parts\": [{\"text\": ");
  }

  private static JsonObject response(String id, String model, String text, String finishReasonOrNull) {
    JsonObject candidate =
        new JsonObject()
            .put("content", new JsonObject().put("role", "model").put("parts", new JsonArray().add(new JsonObject().put("text", text))))
            .put("index", 0);
    if (finishReasonOrNull != null) {
      candidate.put("finishReason", finishReasonOrNull);
    }
    return new JsonObject().put("candidates", new JsonArray().add(candidate)).put("modelVersion", model).put("responseId", id);
  }

  private Pipeline.Call embedContent(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    String text = embedText(body);
    int dimensions = Embeddings.dimensions(body.optionalLong("outputDimensionality"));
    return new Pipeline.Call(model(ctx), directives -> new Reply.Json(new JsonObject().put("embedding", embedding(text, dimensions))));
  }

  private Pipeline.Call batchEmbedContents(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    List<String> texts = new ArrayList<>();
    List<Integer> dimensions = new ArrayList<>();
    for (JsonBody request : body.requireObjects("requests")) {
      texts.add(embedText(request));
      dimensions.add(Embeddings.dimensions(request.optionalLong("outputDimensionality")));
    }
    return new Pipeline.Call(model(ctx), directives -> {
      JsonArray embeddings = new JsonArray();
      for (int i = 0; i < texts.size(); i++) {
        embeddings.add(embedding(texts.get(i), dimensions.get(i)));
      }
      return new Reply.Json(new JsonObject().put("embeddings", embeddings));
    });
  }

  private static String embedText(JsonBody request) {
    if (!request.has("content")) {
      throw new BadRequest("Missing required field 'content'");
    }
    return Prompt.textOf(request.object("content").raw("parts"));
  }

  private static JsonObject embedding(String text, int dimensions) {
    return new JsonObject().put("values", Embeddings.toJson(Embeddings.vector(text, dimensions)));
  }

  private static JsonObject usage(int promptTokens, int candidateTokens) {
    return new JsonObject()
        .put("promptTokenCount", promptTokens)
        .put("candidatesTokenCount", candidateTokens)
        .put("totalTokenCount", promptTokens + candidateTokens);
  }

  private static String finishReason(Completion completion) {
    return completion.truncated() ? "MAX_TOKENS" : "STOP";
  }

  /** The google.rpc.Code name Gemini puts in {@code error.status}. */
  private static String statusName(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 500 -> "INTERNAL";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION";
    };
  }
}
