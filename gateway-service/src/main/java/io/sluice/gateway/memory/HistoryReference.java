package io.sluice.gateway.memory;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;

/**
 * The stored history a Responses API request continues: the response it chains on ({@code previous_response_id}) or
 * the conversation it extends. Its size is asked of the orchestrator before the reservation, which includes it.
 *
 * @param param the request field, which is also the orchestrator's query parameter
 * @param id a valid {@link MemoryIds} id of that kind
 */
public record HistoryReference(String param, String id) {
    public static final String PREVIOUS_RESPONSE = "previous_response_id";
    public static final String CONVERSATION = "conversation";

    /** The query of the orchestrator's {@code GET /internal/memory/context}; the id's charset needs no escaping. */
    public String query() {
        return param + "=" + id;
    }

    /** OpenAI's answer when the history does not exist (or is another tenant's): 404 naming the field. */
    public ApiException notFound() {
        String what = PREVIOUS_RESPONSE.equals(param) ? "Response" : "Conversation";
        return new ApiException(404, new ApiError(new ApiError.Body(what + " with id '" + id + "' not found.",
                "invalid_request_error", param, null)));
    }
}
