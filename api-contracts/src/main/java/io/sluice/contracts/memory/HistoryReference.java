package io.sluice.contracts.memory;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;

/**
 * The stored history a Responses API request continues: the response it chains on ({@code previous_response_id}) or
 * the conversation it extends. The gateway sizes it for the quota reservation; the orchestrator reads and sends it.
 *
 * @param param the request field, which is also the query parameter of the orchestrator's
 *        {@code GET /internal/memory/context}
 * @param id the stored object's id (validated by whoever built the reference)
 */
public record HistoryReference(String param, String id) {
    public static final String PREVIOUS_RESPONSE = "previous_response_id";
    public static final String CONVERSATION = "conversation";

    /** The reference a request makes, if any: {@code previous_response_id} first. */
    public static HistoryReference of(String previousResponseId, String conversationId) {
        if (previousResponseId != null) {
            return new HistoryReference(PREVIOUS_RESPONSE, previousResponseId);
        }
        return conversationId != null ? new HistoryReference(CONVERSATION, conversationId) : null;
    }

    public boolean isResponse() {
        return PREVIOUS_RESPONSE.equals(param);
    }

    /** The query of the orchestrator's {@code GET /internal/memory/context}; the id's charset needs no escaping. */
    public String query() {
        return param + "=" + id;
    }

    /** OpenAI's answer when the history does not exist (or is another tenant's): 404 naming the field. */
    public ApiException notFound() {
        String message = isResponse() ? "Previous response with id '" + id + "' not found."
                : "Conversation with id '" + id + "' not found.";
        return new ApiException(404, ApiError.invalidRequest(null, param, message));
    }
}
