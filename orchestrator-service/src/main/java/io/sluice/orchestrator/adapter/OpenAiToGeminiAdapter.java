package io.sluice.orchestrator.adapter;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.orchestrator.adapter.ChatRequestReader.ContentPart;
import io.sluice.orchestrator.adapter.ChatRequestReader.Message;
import io.sluice.orchestrator.adapter.ChatRequestReader.Tool;
import io.sluice.orchestrator.adapter.ChatRequestReader.ToolCall;
import io.sluice.orchestrator.adapter.ChatRequestReader.ToolChoice;
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
        for (Message message : ChatRequestReader.messages(openAiRequest)) {
            switch (message.role()) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n")
                        .append(message.text());
                case "assistant" -> OpenAiFormat.appendTurn(contents, "model", "parts", modelParts(message, toolNames));
                case "tool" -> OpenAiFormat.appendTurn(contents, "user", "parts", new JsonArray().add(
                        new JsonObject().put("functionResponse", new JsonObject()
                                .put("name", toolNames.getOrDefault(ChatRequestReader.toolCallId(message), "tool"))
                                .put("response", new JsonObject().put("content",
                                        message.text())))));
                default -> OpenAiFormat.appendTurn(contents, "user", "parts", userParts(message));
            }
        }
        if (!system.isEmpty()) {
            body.put("systemInstruction", new JsonObject().put("parts",
                    new JsonArray().add(new JsonObject().put("text", system.toString()))));
        }
        body.put("contents", contents);
        JsonObject config = new JsonObject();
        ChatRequestReader.maxTokens(openAiRequest).ifPresent(max -> config.put("maxOutputTokens", max));
        Number temperature = ChatRequestReader.number(openAiRequest, "temperature");
        if (temperature != null) {
            config.put("temperature", temperature);
        }
        Number topP = ChatRequestReader.number(openAiRequest, "top_p");
        if (topP != null) {
            config.put("topP", topP);
        }
        ChatRequestReader.stopSequences(openAiRequest).ifPresent(stop -> config.put("stopSequences", stop));
        if (!config.isEmpty()) {
            body.put("generationConfig", config);
        }
        JsonArray declarations = functionDeclarations(ChatRequestReader.tools(openAiRequest));
        if (!declarations.isEmpty()) {
            body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
            ChatRequestReader.toolChoice(openAiRequest).map(OpenAiToGeminiAdapter::toolConfig)
                    .ifPresent(c -> body.put("toolConfig", c));
        }
        boolean stream = ChatRequestReader.stream(openAiRequest);
        String method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        return new UpstreamRequest(modelUrl(deployment) + method, headers(deployment, stream), body.toBuffer(), stream);
    }

    @Override
    public ClientAnswer chatResponse(Buffer upstreamBody, Deployment deployment, String model) {
        return ClientAnswer.of(chatCompletion(OpenAiFormat.answerObject(upstreamBody), model));
    }

    /** A generateContent answer as an OpenAI {@code chat.completion} reporting {@code model}. */
    static JsonObject chatCompletion(JsonObject upstreamBody, String model) {
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
    public StreamTranslator chatStream(Deployment deployment, String model, int maxEventBytes) {
        return new GeminiStream(model, maxEventBytes);
    }

    @Override
    public UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment) {
        JsonArray requests = new JsonArray();
        String modelName = "models/" + deployment.upstreamModel();
        Integer dimensions = RequestReader.positiveInteger(openAiRequest, "", "dimensions");
        for (String text : inputs(openAiRequest)) {
            JsonObject request = new JsonObject().put("model", modelName).put("content",
                    new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", text))));
            if (dimensions != null) {
                request.put("outputDimensionality", dimensions);
            }
            requests.add(request);
        }
        return new UpstreamRequest(modelUrl(deployment) + ":batchEmbedContents", headers(deployment, false),
                new JsonObject().put("requests", requests).toBuffer(), false);
    }

    @Override
    public ClientAnswer embeddingsResponse(Buffer upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model) {
        return ClientAnswer.of(embeddingList(OpenAiFormat.answerObject(upstreamBody), openAiRequest, model));
    }

    /**
     * Gemini's embeddings as OpenAI's {@code list}. Gemini's embedding API reports no token counts, so they are
     * estimated from the client's input: the request's prompt tokens are billed and settled like any other.
     */
    static JsonObject embeddingList(JsonObject upstreamBody, JsonObject openAiRequest, String model) {
        JsonArray data = new JsonArray();
        JsonArray embeddings = upstreamBody.getJsonArray("embeddings", new JsonArray());
        for (int i = 0; i < embeddings.size(); i++) {
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                    .put("embedding", embeddings.getJsonObject(i).getJsonArray("values", new JsonArray())));
        }
        Integer reported = upstreamBody.getJsonObject("usageMetadata", new JsonObject()).getInteger("promptTokenCount");
        int promptTokens = reported != null ? reported
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

    private static JsonArray userParts(Message message) {
        JsonArray parts = new JsonArray();
        for (ContentPart part : message.parts()) {
            switch (part.type()) {
                case "text" -> parts.add(new JsonObject().put("text", part.text()));
                case "image_url" -> parts.add(OpenAiFormat.dataUrl(part.url())
                        .map(data -> new JsonObject().put("inlineData",
                                new JsonObject().put("mimeType", data[0]).put("data", data[1])))
                        .orElseGet(() -> new JsonObject().put("fileData", new JsonObject().put("fileUri", part.url()))));
                default -> {
                    // audio and files are not translated
                }
            }
        }
        return parts;
    }

    private static JsonArray modelParts(Message message, Map<String, String> toolNames) {
        JsonArray parts = new JsonArray();
        String text = message.text();
        if (!text.isEmpty()) {
            parts.add(new JsonObject().put("text", text));
        }
        for (ToolCall call : ChatRequestReader.toolCalls(message)) {
            if (call.id() != null) {
                toolNames.put(call.id(), call.name());
            }
            parts.add(new JsonObject().put("functionCall",
                    new JsonObject().put("name", call.name()).put("args", call.arguments())));
        }
        return parts;
    }

    private static JsonArray functionDeclarations(List<Tool> tools) {
        JsonArray declarations = new JsonArray();
        for (Tool function : tools) {
            JsonObject declaration = new JsonObject().put("name", function.name());
            if (function.description() != null) {
                declaration.put("description", function.description());
            }
            if (function.parameters() != null) {
                // JSON Schema as sent by OpenAI clients; Gemini's `parameters` accepts only an OpenAPI subset.
                declaration.put("parametersJsonSchema", function.parameters());
            }
            declarations.add(declaration);
        }
        return declarations;
    }

    private static JsonObject toolConfig(ToolChoice choice) {
        JsonObject calling = new JsonObject().put("mode", switch (choice.mode()) {
            case "required", "function" -> "ANY";
            case "none" -> "NONE";
            default -> "AUTO";
        });
        if (choice.function() != null) {
            calling.put("allowedFunctionNames", new JsonArray().add(choice.function()));
        }
        return new JsonObject().put("functionCallingConfig", calling);
    }

    /**
     * {@code input} as texts: one string or an array of strings. Token-id input (numbers, or arrays of them) is
     * valid OpenAI that Gemini cannot take: unsupported here, so another deployment may serve it.
     */
    private static List<String> inputs(JsonObject openAiRequest) {
        Object input = openAiRequest.getValue("input");
        if (input instanceof String one) {
            return List.of(one);
        }
        if (!(input instanceof JsonArray many)) {
            throw input == null
                    ? new InvalidRequestException("missing_required_parameter", "input", "'input' is required")
                    : RequestReader.wrongType("input", "a string or an array of strings");
        }
        List<String> texts = new ArrayList<>(many.size());
        for (int i = 0; i < many.size(); i++) {
            Object item = many.getValue(i);
            if (item instanceof String text) {
                texts.add(text);
            } else if (item instanceof Number || item instanceof JsonArray) {
                throw new UnsupportedOperationException(
                        "Gemini embeddings take text input; token-array input cannot be translated.");
            } else {
                throw RequestReader.wrongType(RequestReader.path("input", i), "a string");
            }
        }
        return texts;
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

        GeminiStream(String model, int maxEventBytes) {
            super(model, maxEventBytes);
        }

        @Override
        protected void onEvent(SseEventSplitter.SseEvent event, Buffer out) {
            JsonObject response;
            try {
                response = new JsonObject(event.data());
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
                Integer prompt = usageMetadata.getInteger("promptTokenCount");
                if (prompt != null) {
                    writer.promptUsage(out, prompt, usageMetadata.getInteger("cachedContentTokenCount", 0));
                }
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
