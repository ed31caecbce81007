package io.sluice.orchestrator.adapter;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI chat completions and embeddings to and from Gemini's {@code generateContent},
 * {@code streamGenerateContent} (SSE) and {@code batchEmbedContents}: system messages become
 * {@code systemInstruction}, assistant turns the {@code model} role, sampling options {@code generationConfig}. The
 * deployment's base URL is the API host, e.g. {@code https://generativelanguage.googleapis.com}.
 */
@ApplicationScoped
public class OpenAiToGeminiAdapter implements ProviderAdapter {

    @Override
    public ProviderType provider() {
        return ProviderType.GEMINI;
    }

    @Override
    public UpstreamRequest chatRequest(JsonObject openAiRequest, Deployment deployment) {
        JsonObject body = new JsonObject();
        StringBuilder system = new StringBuilder();
        JsonArray contents = new JsonArray();
        Map<String, String> toolNames = new HashMap<>(); // tool_call_id -> function name, for functionResponse
        for (Object item : openAiRequest.getJsonArray("messages", new JsonArray())) {
            JsonObject message = (JsonObject) item;
            switch (message.getString("role", "user")) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n")
                        .append(OpenAiFormat.text(message.getValue("content")));
                case "assistant" -> OpenAiFormat.appendTurn(contents, "model", "parts", modelParts(message, toolNames));
                case "tool" -> OpenAiFormat.appendTurn(contents, "user", "parts", new JsonArray().add(
                        new JsonObject().put("functionResponse",
                        new JsonObject().put("name", toolNames.getOrDefault(message.getString("tool_call_id"), "tool"))
                                .put("response", new JsonObject().put("content",
                                        OpenAiFormat.text(message.getValue("content")))))));
                default -> OpenAiFormat.appendTurn(contents, "user", "parts", userParts(message.getValue("content")));
            }
        }
        if (!system.isEmpty()) {
            body.put("systemInstruction", new JsonObject().put("parts",
                    new JsonArray().add(new JsonObject().put("text", system.toString()))));
        }
        body.put("contents", contents);
        JsonObject config = new JsonObject();
        OpenAiFormat.maxTokens(openAiRequest).ifPresent(max -> config.put("maxOutputTokens", max));
        if (openAiRequest.getValue("temperature") != null) {
            config.put("temperature", openAiRequest.getValue("temperature"));
        }
        if (openAiRequest.getValue("top_p") != null) {
            config.put("topP", openAiRequest.getValue("top_p"));
        }
        OpenAiFormat.stopSequences(openAiRequest).ifPresent(stop -> config.put("stopSequences", stop));
        if (!config.isEmpty()) {
            body.put("generationConfig", config);
        }
        JsonArray declarations = functionDeclarations(openAiRequest.getJsonArray("tools"));
        if (!declarations.isEmpty()) {
            body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
            toolConfig(openAiRequest.getValue("tool_choice")).ifPresent(c -> body.put("toolConfig", c));
        }
        boolean stream = openAiRequest.getBoolean("stream", false);
        String method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        return new UpstreamRequest(modelUrl(deployment) + method, headers(deployment, stream), body.toBuffer(), stream);
    }

    @Override
    public JsonObject chatResponse(JsonObject upstreamBody, Deployment deployment, String model) {
        JsonObject candidate = firstCandidate(upstreamBody);
        StringBuilder text = new StringBuilder();
        JsonArray toolCalls = new JsonArray();
        for (Object item : candidate.getJsonObject("content", new JsonObject()).getJsonArray("parts", new JsonArray())) {
            JsonObject part = (JsonObject) item;
            if (part.getBoolean("thought", false)) {
                continue; // thought summaries are not part of the answer
            }
            if (part.getValue("text") instanceof String piece) {
                text.append(piece);
            }
            JsonObject call = part.getJsonObject("functionCall");
            if (call != null) {
                toolCalls.add(OpenAiFormat.toolCall(callId(call, toolCalls.size()), call.getString("name"),
                        call.getJsonObject("args", new JsonObject()).encode()));
            }
        }
        String finishReason = finishReason(candidate.getString("finishReason"), upstreamBody);
        if (!toolCalls.isEmpty() && "stop".equals(finishReason)) {
            finishReason = "tool_calls";
        }
        return OpenAiFormat.chatCompletion(upstreamBody.getString("responseId"), model,
                text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString(), toolCalls, finishReason,
                usage(upstreamBody.getJsonObject("usageMetadata", new JsonObject())));
    }

    @Override
    public StreamTranslator chatStream(Deployment deployment, String model) {
        return new GeminiStream(model);
    }

    @Override
    public UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment) {
        JsonArray requests = new JsonArray();
        String modelName = "models/" + deployment.upstreamModel();
        for (String text : inputs(openAiRequest)) {
            JsonObject request = new JsonObject().put("model", modelName).put("content",
                    new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", text))));
            if (openAiRequest.getInteger("dimensions") != null) {
                request.put("outputDimensionality", openAiRequest.getInteger("dimensions"));
            }
            requests.add(request);
        }
        return new UpstreamRequest(modelUrl(deployment) + ":batchEmbedContents", headers(deployment, false),
                new JsonObject().put("requests", requests).toBuffer(), false);
    }

    @Override
    public JsonObject embeddingsResponse(JsonObject upstreamBody, Deployment deployment, String model) {
        return embeddingsResponse(upstreamBody, null, deployment, model);
    }

    @Override
    public JsonObject embeddingsResponse(JsonObject upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model) {
        JsonArray data = new JsonArray();
        JsonArray embeddings = upstreamBody.getJsonArray("embeddings", new JsonArray());
        for (int i = 0; i < embeddings.size(); i++) {
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                    .put("embedding", embeddings.getJsonObject(i).getJsonArray("values", new JsonArray())));
        }
        // Gemini's embedding API reports no token counts: estimate them from the input when it is at hand.
        Integer reported = upstreamBody.getJsonObject("usageMetadata", new JsonObject()).getInteger("promptTokenCount");
        int promptTokens = reported != null ? reported
                : openAiRequest == null ? 0
                        : inputs(openAiRequest).stream().mapToInt(OpenAiFormat::estimateTokens).sum();
        return new JsonObject().put("object", "list").put("data", data).put("model", model)
                .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("total_tokens", promptTokens));
    }

    @Override
    public UpstreamFailure failure(int status, MultiMap headers, Buffer body) {
        JsonObject error = null;
        try {
            Object parsed = body == null || body.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(body);
            // Streamed requests can fail with the error wrapped in a JSON array.
            if (parsed instanceof JsonArray array && !array.isEmpty() && array.getValue(0) instanceof JsonObject first) {
                parsed = first;
            }
            error = parsed instanceof JsonObject object ? object.getJsonObject("error") : null;
        } catch (DecodeException | ClassCastException notJson) {
            // A proxy's error page: classify by status alone.
        }
        return error == null ? FailureClassifier.classify(status, headers, null, null)
                : FailureClassifier.classify(status, headers, error.getString("message"), error.getString("status"));
    }

    static String finishReason(String geminiReason, JsonObject response) {
        if (geminiReason == null) {
            // No candidate at all: the prompt itself was blocked.
            return response.getJsonObject("promptFeedback", new JsonObject()).getString("blockReason") != null
                    ? "content_filter" : null;
        }
        return switch (geminiReason) {
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> "stop";
        };
    }

    private static JsonObject firstCandidate(JsonObject response) {
        JsonArray candidates = response.getJsonArray("candidates");
        return candidates == null || candidates.isEmpty() ? new JsonObject() : candidates.getJsonObject(0);
    }

    private static JsonObject usage(JsonObject metadata) {
        int completion = metadata.getInteger("candidatesTokenCount", 0) + metadata.getInteger("thoughtsTokenCount", 0);
        return OpenAiFormat.usage(metadata.getInteger("promptTokenCount", 0), completion,
                metadata.getInteger("cachedContentTokenCount", 0));
    }

    private static String callId(JsonObject functionCall, int index) {
        String id = functionCall.getString("id");
        return id != null ? id : "call_" + index + "_" + functionCall.getString("name");
    }

    private static JsonArray userParts(Object content) {
        JsonArray parts = new JsonArray();
        if (content instanceof String text) {
            return parts.add(new JsonObject().put("text", text));
        }
        if (content instanceof JsonArray openAiParts) {
            for (Object item : openAiParts) {
                JsonObject part = (JsonObject) item;
                switch (part.getString("type", "text")) {
                    case "text" -> parts.add(new JsonObject().put("text", part.getString("text", "")));
                    case "image_url" -> {
                        String url = part.getJsonObject("image_url", new JsonObject()).getString("url");
                        parts.add(OpenAiFormat.dataUrl(url)
                                .map(data -> new JsonObject().put("inlineData",
                                        new JsonObject().put("mimeType", data[0]).put("data", data[1])))
                                .orElseGet(() -> new JsonObject().put("fileData", new JsonObject().put("fileUri", url))));
                    }
                    default -> {
                        // audio and files are not translated
                    }
                }
            }
        }
        return parts;
    }

    private static JsonArray modelParts(JsonObject message, Map<String, String> toolNames) {
        JsonArray parts = new JsonArray();
        String text = OpenAiFormat.text(message.getValue("content"));
        if (!text.isEmpty()) {
            parts.add(new JsonObject().put("text", text));
        }
        for (Object item : message.getJsonArray("tool_calls", new JsonArray())) {
            JsonObject call = (JsonObject) item;
            JsonObject function = call.getJsonObject("function", new JsonObject());
            toolNames.put(call.getString("id"), function.getString("name"));
            JsonObject args;
            try {
                args = new JsonObject(function.getString("arguments", "{}"));
            } catch (DecodeException broken) {
                args = new JsonObject();
            }
            parts.add(new JsonObject().put("functionCall",
                    new JsonObject().put("name", function.getString("name")).put("args", args)));
        }
        return parts;
    }

    private static JsonArray functionDeclarations(JsonArray tools) {
        JsonArray declarations = new JsonArray();
        if (tools != null) {
            for (Object item : tools) {
                JsonObject function = ((JsonObject) item).getJsonObject("function");
                if (function != null) {
                    JsonObject declaration = new JsonObject().put("name", function.getString("name"));
                    if (function.getString("description") != null) {
                        declaration.put("description", function.getString("description"));
                    }
                    if (function.getJsonObject("parameters") != null) {
                        // JSON Schema as sent by OpenAI clients; Gemini's `parameters` accepts only an OpenAPI subset.
                        declaration.put("parametersJsonSchema", function.getJsonObject("parameters"));
                    }
                    declarations.add(declaration);
                }
            }
        }
        return declarations;
    }

    private static Optional<JsonObject> toolConfig(Object choice) {
        String mode = null;
        JsonArray allowed = null;
        if (choice instanceof String openAiMode) {
            mode = switch (openAiMode) {
                case "auto" -> "AUTO";
                case "required" -> "ANY";
                case "none" -> "NONE";
                default -> null;
            };
        } else if (choice instanceof JsonObject named && named.getJsonObject("function") != null) {
            mode = "ANY";
            allowed = new JsonArray().add(named.getJsonObject("function").getString("name"));
        }
        if (mode == null) {
            return Optional.empty();
        }
        JsonObject calling = new JsonObject().put("mode", mode);
        if (allowed != null) {
            calling.put("allowedFunctionNames", allowed);
        }
        return Optional.of(new JsonObject().put("functionCallingConfig", calling));
    }

    private static java.util.List<String> inputs(JsonObject openAiRequest) {
        Object input = openAiRequest.getValue("input");
        if (input instanceof String one) {
            return java.util.List.of(one);
        }
        if (input instanceof JsonArray many) {
            if (!many.isEmpty() && !(many.getValue(0) instanceof String)) {
                throw new UnsupportedOperationException(
                        "Gemini embeddings take text input; token-array input cannot be translated.");
            }
            return many.stream().map(String::valueOf).toList();
        }
        return java.util.List.of();
    }

    private static String modelUrl(Deployment deployment) {
        return OpenAiToAnthropicAdapter.trimSlash(deployment.baseUrl()) + "/v1beta/models/"
                + URLEncoder.encode(deployment.upstreamModel(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(Deployment deployment, boolean stream) {
        Map<String, String> headers = OpenAiCompatibleAdapter.jsonHeaders(stream);
        deployment.apiKey().ifPresent(key -> headers.put("x-goog-api-key", key));
        return headers;
    }

    /** Gemini's SSE stream (one GenerateContentResponse per event) as OpenAI chunks. */
    static final class GeminiStream extends ProviderSseTranslator {
        private JsonObject usageMetadata = new JsonObject();
        private int toolCalls;

        GeminiStream(String model) {
            super(model);
        }

        @Override
        public Buffer translate(Buffer chunk) {
            Buffer out = Buffer.buffer();
            for (SseEventSplitter.SseEvent event : events.feed(chunk)) {
                onEvent(event.data(), out);
            }
            return out;
        }

        private void onEvent(String data, Buffer out) {
            JsonObject response;
            try {
                response = new JsonObject(data);
            } catch (DecodeException notJson) {
                return; // nothing usable; a cut stream shows as not completed
            }
            JsonObject error = response.getJsonObject("error");
            if (error != null) {
                failure = FailureClassifier.classify(error.getInteger("code", 500), null, error.getString("message"),
                        error.getString("status"));
                return;
            }
            writer.id(response.getString("responseId"));
            writer.role(out);
            if (response.getJsonObject("usageMetadata") != null) {
                usageMetadata = response.getJsonObject("usageMetadata");
            }
            JsonObject candidate = firstCandidate(response);
            for (Object item : candidate.getJsonObject("content", new JsonObject()).getJsonArray("parts",
                    new JsonArray())) {
                JsonObject part = (JsonObject) item;
                if (part.getBoolean("thought", false)) {
                    continue;
                }
                if (part.getValue("text") instanceof String text && !text.isEmpty()) {
                    writer.content(out, text);
                }
                JsonObject call = part.getJsonObject("functionCall");
                if (call != null) {
                    // Gemini sends each call whole, so one delta carries id, name and all arguments.
                    writer.toolCall(out, toolCalls, callId(call, toolCalls), call.getString("name"),
                            call.getJsonObject("args", new JsonObject()).encode());
                    toolCalls++;
                }
            }
            String finishReason = finishReason(candidate.getString("finishReason"), response);
            if (finishReason != null && !done) {
                done = true;
                writer.finish(out, toolCalls > 0 && "stop".equals(finishReason) ? "tool_calls" : finishReason);
                JsonObject usage = usage(usageMetadata);
                writer.usageAndDone(out, usage.getInteger("prompt_tokens"), usage.getInteger("completion_tokens"),
                        usage.getJsonObject("prompt_tokens_details", new JsonObject()).getInteger("cached_tokens", 0));
            }
        }
    }
}
