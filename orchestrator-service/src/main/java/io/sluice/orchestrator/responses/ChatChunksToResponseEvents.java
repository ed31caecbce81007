package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ChatCompletionToResponse.array;
import static io.sluice.orchestrator.responses.ChatCompletionToResponse.object;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.sluice.orchestrator.conversation.MemoryIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One streamed response: parsed chat chunks in, OpenAI's Responses SSE events out, each with the next
 * {@code sequence_number}. Items are streamed one after the other as OpenAI does (added, deltas, done), so a text
 * that follows a tool call, or a second tool call, closes the item before it. Not thread-safe: one stream's chunks
 * arrive in order on one context.
 */
public final class ChatChunksToResponseEvents {
    /** Codes {@code Response.error.code} may hold (the SDK's enum); anything else is reported as server_error. */
    private static final Set<String> RESPONSE_ERROR_CODES = Set.of("server_error", "rate_limit_exceeded");

    private final ResponseDraft draft;
    private final JsonArray output = new JsonArray();
    /** chat {@code tool_calls[].index} → its output item, kept to finish arguments that arrive late. */
    private final Map<Integer, JsonObject> callsByIndex = new HashMap<>();
    private long sequence;
    private JsonObject open;
    private int openIndex = -1;
    /** The open function call's chat index. */
    private int openCallIndex = -1;
    private StringBuilder openText;
    /** The open message's part: output_text or refusal. */
    private String openPartType;
    private JsonObject chatUsage;
    private String finishReason;
    private JsonObject finished;
    private boolean completed;

    public ChatChunksToResponseEvents(ResponseDraft d) {
        this.draft = d;
    }

    /** response.created and response.in_progress. */
    public Buffer start() {
        Buffer out = Buffer.buffer();
        JsonObject inProgress = draft.skeleton("in_progress");
        event(out, "response.created", new JsonObject().put("response", inProgress));
        event(out, "response.in_progress", new JsonObject().put("response", inProgress.copy()));
        return out;
    }

    /**
     * The events one chat chunk makes (possibly none); the usage chunk (empty choices) only records the usage. The
     * error event a chat stream ends with when its provider fails ({@code {"error":{…}}}) is {@link #failed}. The
     * chat stream's {@code [DONE]} is no chunk: it is {@link #complete()}.
     */
    public Buffer chunk(JsonObject chatChunk) {
        if (finished != null) {
            return Buffer.buffer();
        }
        if (chatChunk.getValue("error") instanceof JsonObject error) {
            return failed(error.getValue("code") instanceof String code ? code : "server_error",
                    error.getValue("message") instanceof String message ? message : "The model call failed.");
        }
        Buffer out = Buffer.buffer();
        if (chatChunk.getValue("usage") instanceof JsonObject usage) {
            chatUsage = usage;
        }
        JsonArray choices = array(chatChunk.getValue("choices"));
        if (choices.isEmpty()) {
            return out;
        }
        JsonObject choice = object(choices.getValue(0));
        JsonObject delta = object(choice.getValue("delta"));
        if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
            text(out, "output_text", text);
        }
        if (delta.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
            text(out, "refusal", refusal);
        }
        for (Object call : array(delta.getValue("tool_calls"))) {
            toolCall(out, object(call));
        }
        if (choice.getValue("finish_reason") instanceof String reason) {
            finishReason = reason;
        }
        return out;
    }

    /** The open item's done events, then response.completed (response.incomplete when the model was cut short). */
    public Buffer complete() {
        Buffer out = Buffer.buffer();
        if (finished != null) {
            return out;
        }
        String incomplete = ChatCompletionToResponse.incompleteReason(finishReason);
        close(out, incomplete == null ? "completed" : "incomplete");
        String status = incomplete == null ? "completed" : "incomplete";
        finished = draft.finish(status, output.copy(), ChatCompletionToResponse.usage(chatUsage), incomplete, null);
        completed = true;
        event(out, "response." + status, new JsonObject().put("response", finished));
        return out;
    }

    /**
     * The provider failed mid-way: an {@code error} event, then response.failed carrying what was produced so far
     * (the open item marked incomplete, never done). {@code code} is Sluice's (for example upstream_timeout); the
     * response's {@code error.code} is one the SDKs know.
     */
    public Buffer failed(String code, String message) {
        Buffer out = Buffer.buffer();
        if (finished != null) {
            return out;
        }
        if (open != null) {
            output.set(openIndex, finalItem("incomplete"));
            open = null;
        }
        event(out, "error", new JsonObject().put("code", code).put("message", message).put("param", null));
        JsonObject error = new JsonObject().put("code", RESPONSE_ERROR_CODES.contains(code) ? code : "server_error")
                .put("message", message);
        finished = draft.finish("failed", output.copy(),
                chatUsage == null ? null : ChatCompletionToResponse.usage(chatUsage), null, error);
        event(out, "response.failed", new JsonObject().put("response", finished));
        return out;
    }

    /** The final Response object (for storage) once complete() or failed() ran; null before. */
    public JsonObject response() {
        return finished;
    }

    /**
     * True once complete() ended the stream with response.completed or response.incomplete (a whole answer, cut
     * short or not, which OpenAI stores); false before and after a failure.
     */
    public boolean completed() {
        return completed;
    }

    /**
     * A text or refusal delta. The open message holds one part of one kind, so a switch between the two (rare)
     * starts another message rather than interleaving parts.
     */
    private void text(Buffer out, String partType, String text) {
        if (open == null || !open.getString("type").equals("message") || !partType.equals(openPartType)) {
            close(out, "completed");
            openIndex = output.size();
            open = OutputItems.message(MemoryIds.message(), "in_progress", new JsonArray());
            openText = new StringBuilder();
            openPartType = partType;
            output.add(open);
            event(out, "response.output_item.added", itemEvent(open.copy()));
            event(out, "response.content_part.added", partEvent(part("")));
        }
        openText.append(text);
        if (partType.equals("refusal")) {
            event(out, "response.refusal.delta", partEvent(null).put("delta", text));
        } else {
            event(out, "response.output_text.delta",
                    partEvent(null).put("delta", text).put("logprobs", new JsonArray()));
        }
    }

    private JsonObject part(String text) {
        return openPartType.equals("refusal") ? OutputItems.refusal(text) : OutputItems.outputText(text);
    }

    private void toolCall(Buffer out, JsonObject call) {
        int index = call.getValue("index") instanceof Number number ? number.intValue() : 0;
        JsonObject function = object(call.getValue("function"));
        String arguments = function.getValue("arguments") instanceof String fragment ? fragment : "";
        JsonObject item = callsByIndex.get(index);
        if (item == null) {
            close(out, "completed");
            openIndex = output.size();
            open = OutputItems.functionCall(MemoryIds.functionCall(), "in_progress", call.getString("id"),
                    function.getString("name"), "");
            openText = new StringBuilder();
            openCallIndex = index;
            callsByIndex.put(index, open);
            output.add(open);
            event(out, "response.output_item.added", itemEvent(open.copy()));
            item = open;
        }
        if (arguments.isEmpty()) {
            return;
        }
        if (item == open) {
            openText.append(arguments);
            event(out, "response.function_call_arguments.delta", new JsonObject().put("item_id", item.getString("id"))
                    .put("output_index", openIndex).put("delta", arguments));
        } else {
            // a provider interleaving parallel calls: the done events are out, the stored item still gets it all
            item.put("arguments", item.getString("arguments") + arguments);
        }
    }

    /** The open item's done events; its final form replaces it in {@link #output}. */
    private void close(Buffer out, String status) {
        if (open == null) {
            return;
        }
        JsonObject item = finalItem(status);
        if (item.getString("type").equals("message")) {
            JsonObject part = item.getJsonArray("content").getJsonObject(0);
            if (openPartType.equals("refusal")) {
                event(out, "response.refusal.done", partEvent(null).put("refusal", part.getString("refusal")));
            } else {
                event(out, "response.output_text.done",
                        partEvent(null).put("text", part.getString("text")).put("logprobs", new JsonArray()));
            }
            event(out, "response.content_part.done", partEvent(part.copy()));
        } else {
            event(out, "response.function_call_arguments.done", new JsonObject().put("item_id", item.getString("id"))
                    .put("output_index", openIndex).put("name", item.getString("name"))
                    .put("arguments", item.getString("arguments")));
        }
        event(out, "response.output_item.done", itemEvent(item.copy()));
        output.set(openIndex, item);
        if (item.getString("type").equals("function_call")) {
            callsByIndex.put(openCallIndex, item);
        }
        open = null;
    }

    private JsonObject finalItem(String status) {
        if (open.getString("type").equals("message")) {
            return OutputItems.message(open.getString("id"), status, new JsonArray().add(part(openText.toString())));
        }
        return OutputItems.functionCall(open.getString("id"), status, open.getString("call_id"),
                open.getString("name"), openText.toString());
    }

    private JsonObject itemEvent(JsonObject item) {
        return new JsonObject().put("output_index", openIndex).put("item", item);
    }

    /** An event about the open message's only part; {@code part} is included when not null. */
    private JsonObject partEvent(JsonObject part) {
        JsonObject event = new JsonObject().put("item_id", open.getString("id")).put("output_index", openIndex)
                .put("content_index", 0);
        return part == null ? event : event.put("part", part);
    }

    private void event(Buffer out, String type, JsonObject data) {
        JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
        data.forEach(field -> event.put(field.getKey(), field.getValue()));
        out.appendString("event: ").appendString(type).appendString("\ndata: ").appendBuffer(event.toBuffer())
                .appendString("\n\n");
    }
}
