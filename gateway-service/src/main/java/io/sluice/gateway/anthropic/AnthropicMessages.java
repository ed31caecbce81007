package io.sluice.gateway.anthropic;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An OpenAI chat completion as an Anthropic Message, and the pieces both the whole and the streamed answer share. */
final class AnthropicMessages {
    private AnthropicMessages() {
    }

    static JsonObject fromChatCompletion(JsonObject completion, String messageId, String model) {
        JsonArray choices = completion.getJsonArray("choices", new JsonArray());
        JsonObject choice = choices.isEmpty() ? new JsonObject() : choices.getJsonObject(0);
        JsonObject message = choice.getJsonObject("message", new JsonObject());
        JsonArray content = new JsonArray();
        if (message.getValue("content") instanceof String text && !text.isEmpty()) {
            content.add(new JsonObject().put("type", "text").put("text", text));
        }
        for (Object call : message.getJsonArray("tool_calls", new JsonArray())) {
            if (call instanceof JsonObject toolCall) {
                JsonObject function = toolCall.getJsonObject("function", new JsonObject());
                content.add(new JsonObject().put("type", "tool_use").put("id", toolCall.getString("id"))
                        .put("name", function.getString("name")).put("input", input(function.getString("arguments"))));
            }
        }
        JsonObject usage = completion.getJsonObject("usage", new JsonObject());
        return message(messageId, model, content, stopReason(choice.getString("finish_reason")),
                usage(usage.getInteger("prompt_tokens", 0), usage.getInteger("completion_tokens", 0)));
    }

    static JsonObject message(String messageId, String model, JsonArray content, String stopReason, JsonObject usage) {
        return new JsonObject().put("id", messageId).put("type", "message").put("role", "assistant")
                .put("model", model).put("content", content).put("stop_reason", stopReason)
                .putNull("stop_sequence").put("usage", usage);
    }

    static JsonObject usage(int inputTokens, int outputTokens) {
        return new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens)
                .putNull("cache_creation_input_tokens").putNull("cache_read_input_tokens");
    }

    /** OpenAI's finish_reason as Anthropic's stop_reason. */
    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** Tool arguments (a JSON string in OpenAI's format) as the tool_use input object. */
    static JsonObject input(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(arguments);
        } catch (DecodeException e) {
            // Anthropic's input is always an object; keep what the model produced rather than drop it.
            return new JsonObject().put("arguments", arguments);
        }
    }
}
