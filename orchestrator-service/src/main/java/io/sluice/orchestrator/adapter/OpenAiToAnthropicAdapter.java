package io.sluice.orchestrator.adapter;

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
 * OpenAI chat completions to and from Anthropic's Messages API: system messages become {@code system}, tool calls
 * and results become {@code tool_use} / {@code tool_result} blocks, and the answer, its stream of events and its
 * errors come back in OpenAI's shapes. The deployment's base URL is Anthropic's, without {@code /v1}.
 */
@ApplicationScoped
public class OpenAiToAnthropicAdapter implements ProviderAdapter {
    static final String API_VERSION = "2023-06-01";
    /** Anthropic requires max_tokens; OpenAI clients often leave it out. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    public ProviderType provider() {
        return ProviderType.ANTHROPIC;
    }

    @Override
    public UpstreamRequest chatRequest(JsonObject openAiRequest, Deployment deployment) {
        JsonObject body = new JsonObject().put("model", deployment.upstreamModel());
        StringBuilder system = new StringBuilder();
        JsonArray messages = new JsonArray();
        for (Message message : ChatRequestReader.messages(openAiRequest)) {
            switch (message.role()) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n")
                        .append(message.text());
                case "assistant" -> OpenAiFormat.appendTurn(messages, "assistant", "content", assistantBlocks(message));
                case "tool" -> OpenAiFormat.appendTurn(messages, "user", "content", new JsonArray().add(
                        new JsonObject().put("type", "tool_result")
                        .put("tool_use_id", ChatRequestReader.toolCallId(message))
                        .put("content", message.text())));
                default -> OpenAiFormat.appendTurn(messages, "user", "content", userBlocks(message));
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        body.put("messages", messages);
        body.put("max_tokens", ChatRequestReader.maxTokens(openAiRequest).orElse(DEFAULT_MAX_TOKENS));
        putIfPresent(body, "temperature", ChatRequestReader.number(openAiRequest, "temperature"));
        putIfPresent(body, "top_p", ChatRequestReader.number(openAiRequest, "top_p"));
        ChatRequestReader.stopSequences(openAiRequest).ifPresent(stop -> body.put("stop_sequences", stop));
        JsonArray tools = tools(ChatRequestReader.tools(openAiRequest));
        if (!tools.isEmpty()) {
            body.put("tools", tools);
            ChatRequestReader.toolChoice(openAiRequest).map(OpenAiToAnthropicAdapter::toolChoice)
                    .ifPresent(choice -> body.put("tool_choice", choice));
        }
        String user = ChatRequestReader.user(openAiRequest);
        if (user != null) {
            body.put("metadata", new JsonObject().put("user_id", user));
        }
        boolean stream = ChatRequestReader.stream(openAiRequest);
        if (stream) {
            body.put("stream", true);
        }
        Map<String, String> headers = OpenAiCompatibleAdapter.jsonHeaders(stream);
        headers.put("anthropic-version", API_VERSION);
        deployment.apiKey().ifPresent(key -> headers.put("x-api-key", key));
        return new UpstreamRequest(trimSlash(deployment.baseUrl()) + "/v1/messages", headers, body.toBuffer(), stream);
    }

    @Override
    public ClientAnswer chatResponse(Buffer upstreamBody, Deployment deployment, String model) {
        return ClientAnswer.of(chatCompletion(OpenAiFormat.answerObject(upstreamBody), model));
    }

    /** A Messages API answer as an OpenAI {@code chat.completion} reporting {@code model}. */
    static JsonObject chatCompletion(JsonObject upstreamBody, String model) {
        StringBuilder text = new StringBuilder();
        JsonArray toolCalls = new JsonArray();
        for (Object item : upstreamBody.getJsonArray("content", new JsonArray())) {
            JsonObject block = (JsonObject) item;
            switch (block.getString("type", "")) {
                case "text" -> text.append(block.getString("text", ""));
                case "tool_use" -> toolCalls.add(OpenAiFormat.toolCall(block.getString("id"), block.getString("name"),
                        block.getJsonObject("input", new JsonObject()).encode()));
                default -> {
                    // thinking and other block types have no OpenAI chat equivalent
                }
            }
        }
        JsonObject usage = upstreamBody.getJsonObject("usage", new JsonObject());
        int cached = usage.getInteger("cache_read_input_tokens", 0);
        int prompt = usage.getInteger("input_tokens", 0) + cached + usage.getInteger("cache_creation_input_tokens", 0);
        return OpenAiFormat.chatCompletion(upstreamBody.getString("id"), model,
                text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString(), toolCalls,
                finishReason(upstreamBody.getString("stop_reason")),
                OpenAiFormat.usage(prompt, usage.getInteger("output_tokens", 0), cached));
    }

    @Override
    public StreamTranslator chatStream(Deployment deployment, String model, int maxEventBytes) {
        return new AnthropicStream(model, maxEventBytes);
    }

    @Override
    public UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment) {
        throw new UnsupportedOperationException("Anthropic offers no embeddings API; deployment '" + deployment.name()
                + "' cannot serve embeddings requests.");
    }

    @Override
    public ClientAnswer embeddingsResponse(Buffer upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model) {
        throw new UnsupportedOperationException("Anthropic offers no embeddings API.");
    }

    @Override
    public UpstreamFailure failure(int status, MultiMap headers, Buffer body) {
        JsonObject error = null;
        try {
            error = body == null || body.length() == 0 ? null : body.toJsonObject().getJsonObject("error");
        } catch (DecodeException | ClassCastException notJson) {
            // A proxy's error page: classify by status alone.
        }
        return error == null ? FailureClassifier.classify(status, headers, null, null)
                : FailureClassifier.classify(status, headers, error.getString("message"), error.getString("type"));
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    private static JsonArray userBlocks(Message message) {
        JsonArray blocks = new JsonArray();
        for (ContentPart part : message.parts()) {
            switch (part.type()) {
                case "text" -> blocks.add(textBlock(part.text()));
                case "image_url" -> blocks.add(imageBlock(part.url()));
                default -> {
                    // audio and files have no Messages API equivalent here
                }
            }
        }
        return blocks;
    }

    private static JsonObject imageBlock(String url) {
        JsonObject source = OpenAiFormat.dataUrl(url)
                .map(data -> new JsonObject().put("type", "base64").put("media_type", data[0]).put("data", data[1]))
                .orElseGet(() -> new JsonObject().put("type", "url").put("url", url));
        return new JsonObject().put("type", "image").put("source", source);
    }

    private static JsonArray assistantBlocks(Message message) {
        JsonArray blocks = new JsonArray();
        String text = message.text();
        if (!text.isEmpty()) {
            blocks.add(textBlock(text));
        }
        for (ToolCall call : ChatRequestReader.toolCalls(message)) {
            blocks.add(new JsonObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .put("input", call.arguments()));
        }
        return blocks;
    }

    private static JsonObject textBlock(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    private static JsonArray tools(List<Tool> openAiTools) {
        JsonArray tools = new JsonArray();
        for (Tool function : openAiTools) {
            JsonObject tool = new JsonObject().put("name", function.name()).put("input_schema",
                    function.parameters() != null ? function.parameters() : new JsonObject().put("type", "object"));
            if (function.description() != null) {
                tool.put("description", function.description());
            }
            tools.add(tool);
        }
        return tools;
    }

    private static JsonObject toolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case "required" -> new JsonObject().put("type", "any");
            case "function" -> new JsonObject().put("type", "tool").put("name", choice.function());
            default -> new JsonObject().put("type", choice.mode()); // auto, none
        };
    }

    private static void putIfPresent(JsonObject body, String field, Object value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Anthropic's event stream (message_start … message_stop) as OpenAI chunks. */
    static final class AnthropicStream extends ProviderSseTranslator {
        /** Anthropic content-block index to OpenAI tool-call index. */
        private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        private boolean promptKnown;
        private int promptTokens;
        private int cachedTokens;
        private int completionTokens;

        AnthropicStream(String model, int maxEventBytes) {
            super(model, maxEventBytes);
        }

        @Override
        protected void onEvent(SseEventSplitter.SseEvent event, Buffer out) {
            JsonObject data;
            try {
                data = new JsonObject(event.data());
            } catch (DecodeException notJson) {
                return; // nothing usable; a cut stream shows as not completed
            }
            String type = data.getString("type", event.name() == null ? "" : event.name());
            switch (type) {
                case "message_start" -> {
                    JsonObject message = data.getJsonObject("message", new JsonObject());
                    writer.id(message.getString("id"));
                    usage(message.getJsonObject("usage"));
                    writer.role(out);
                    if (promptKnown) {
                        writer.promptUsage(out, promptTokens, cachedTokens);
                    }
                }
                case "content_block_start" -> {
                    JsonObject block = data.getJsonObject("content_block", new JsonObject());
                    if ("tool_use".equals(block.getString("type"))) {
                        int toolIndex = toolIndexByBlock.size();
                        toolIndexByBlock.put(data.getInteger("index", 0), toolIndex);
                        writer.toolCall(out, toolIndex, block.getString("id"), block.getString("name"), "");
                    }
                }
                case "content_block_delta" -> {
                    JsonObject delta = data.getJsonObject("delta", new JsonObject());
                    switch (delta.getString("type", "")) {
                        case "text_delta" -> writer.content(out, delta.getString("text", ""));
                        case "input_json_delta" -> {
                            Integer toolIndex = toolIndexByBlock.get(data.getInteger("index", 0));
                            if (toolIndex != null) {
                                writer.toolCall(out, toolIndex, null, null, delta.getString("partial_json", ""));
                            }
                        }
                        default -> {
                            // thinking and signature deltas have no OpenAI chat equivalent
                        }
                    }
                }
                case "message_delta" -> {
                    usage(data.getJsonObject("usage"));
                    String stopReason = data.getJsonObject("delta", new JsonObject()).getString("stop_reason");
                    if (stopReason != null) {
                        writer.finish(out, finishReason(stopReason));
                    }
                }
                case "message_stop" -> {
                    done = true;
                    writer.usageAndDone(out, promptTokens, completionTokens, cachedTokens);
                }
                case "error" -> {
                    JsonObject error = data.getJsonObject("error", new JsonObject());
                    String errorType = error.getString("type");
                    failure = FailureClassifier.classify(statusOf(errorType), null, error.getString("message"),
                            errorType);
                }
                default -> {
                    // ping, content_block_stop
                }
            }
        }

        /** Usage arrives in message_start (input) and message_delta (output so far, sometimes input too). */
        private void usage(JsonObject usage) {
            if (usage == null) {
                return;
            }
            if (usage.getInteger("input_tokens") != null) {
                promptKnown = true;
                cachedTokens = usage.getInteger("cache_read_input_tokens", 0);
                promptTokens = usage.getInteger("input_tokens") + cachedTokens
                        + usage.getInteger("cache_creation_input_tokens", 0);
            }
            completionTokens = usage.getInteger("output_tokens", completionTokens);
        }

        private static int statusOf(String errorType) {
            return switch (String.valueOf(errorType)) {
                case "overloaded_error" -> 529;
                case "rate_limit_error" -> 429;
                case "api_error" -> 500;
                case "timeout_error" -> 504;
                case "authentication_error" -> 401;
                case "permission_error" -> 403;
                case "not_found_error" -> 404;
                case "request_too_large" -> 413;
                default -> 400;
            };
        }
    }
}
