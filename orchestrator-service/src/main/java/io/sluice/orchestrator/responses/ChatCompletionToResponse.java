package io.sluice.orchestrator.responses;

import io.sluice.orchestrator.conversation.MemoryIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A {@code chat.completion} answer as OpenAI's Response object. */
public final class ChatCompletionToResponse {
    private ChatCompletionToResponse() {
    }

    public static JsonObject response(ResponseDraft d, JsonObject chatCompletion) {
        JsonArray choices = array(chatCompletion.getValue("choices"));
        JsonObject choice = choices.isEmpty() ? new JsonObject() : object(choices.getValue(0));
        JsonObject message = object(choice.getValue("message"));
        String incomplete = incompleteReason(choice.getString("finish_reason"));
        String itemStatus = incomplete == null ? "completed" : "incomplete";

        JsonArray output = new JsonArray();
        JsonArray toolCalls = array(message.getValue("tool_calls"));
        JsonArray content = new JsonArray();
        String text = message.getString("content");
        if (text != null && (!text.isEmpty() || toolCalls.isEmpty())) {
            content.add(OutputItems.outputText(text));
        }
        if (message.getString("refusal") != null) {
            content.add(OutputItems.refusal(message.getString("refusal")));
        }
        if (!content.isEmpty() || toolCalls.isEmpty()) {
            // a model that said nothing still answered: one empty text, as OpenAI shows it
            output.add(OutputItems.message(MemoryIds.message(), itemStatus,
                    content.isEmpty() ? content.add(OutputItems.outputText("")) : content));
        }
        for (Object value : toolCalls) {
            JsonObject call = (JsonObject) value;
            JsonObject function = object(call.getValue("function"));
            output.add(OutputItems.functionCall(MemoryIds.functionCall(), itemStatus, call.getString("id"),
                    function.getString("name"),
                    function.getValue("arguments") instanceof String arguments ? arguments : ""));
        }
        return d.finish(incomplete == null ? "completed" : "incomplete", output,
                usage(object(chatCompletion.getValue("usage"))), incomplete, null);
    }

    /** OpenAI's {@code incomplete_details.reason} for a chat finish reason; null when the answer is complete. */
    static String incompleteReason(String finishReason) {
        if ("length".equals(finishReason)) {
            return "max_output_tokens";
        }
        return "content_filter".equals(finishReason) ? "content_filter" : null;
    }

    /** Chat usage as Responses usage; zeros for what the provider did not report (fields absent or null). */
    static JsonObject usage(JsonObject chat) {
        int input = count(chat, "prompt_tokens");
        int output = count(chat, "completion_tokens");
        int cached = count(chat == null ? null : chat.getValue("prompt_tokens_details"), "cached_tokens");
        int reasoning = count(chat == null ? null : chat.getValue("completion_tokens_details"), "reasoning_tokens");
        int total = count(chat, "total_tokens");
        return new JsonObject().put("input_tokens", input)
                .put("input_tokens_details", new JsonObject().put("cached_tokens", cached).put("cache_write_tokens", 0))
                .put("output_tokens", output)
                .put("output_tokens_details", new JsonObject().put("reasoning_tokens", reasoning))
                .put("total_tokens", total > 0 ? total : input + output);
    }

    static JsonObject object(Object value) {
        return value instanceof JsonObject object ? object : new JsonObject();
    }

    static JsonArray array(Object value) {
        return value instanceof JsonArray array ? array : new JsonArray();
    }

    private static int count(Object parent, String field) {
        return parent instanceof JsonObject object && object.getValue(field) instanceof Number number
                ? number.intValue() : 0;
    }
}
