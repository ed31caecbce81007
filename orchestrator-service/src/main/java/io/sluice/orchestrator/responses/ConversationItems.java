package io.sluice.orchestrator.responses;

import java.util.List;

import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.sluice.orchestrator.adapter.RequestReader;
import io.vertx.core.json.JsonObject;

/**
 * What the Conversations API accepts from a client: items checked and normalised exactly as a Responses request's
 * input items (so a stored conversation holds only shapes a turn can send), and metadata within OpenAI's limits.
 */
public final class ConversationItems {
    /** OpenAI adds at most 20 items per call. */
    public static final int MAX_ITEMS_PER_CALL = 20;

    private ConversationItems() {
    }

    /** The items under {@code param}; none when absent. */
    public static List<JsonObject> parse(Object items, String param) {
        if (items == null) {
            return List.of();
        }
        List<JsonObject> read = InputItemReader.read(items, param);
        if (read.size() > MAX_ITEMS_PER_CALL) {
            throw new InvalidRequestException("invalid_value", param,
                    "'" + param + "' may hold at most " + MAX_ITEMS_PER_CALL + " items");
        }
        return read;
    }

    /** The metadata, checked; an empty object when absent. */
    public static JsonObject metadata(Object metadata) {
        if (metadata != null && !(metadata instanceof JsonObject)) {
            throw RequestReader.wrongType("metadata", "an object");
        }
        return ResponsesRequest.metadata((JsonObject) metadata);
    }
}
