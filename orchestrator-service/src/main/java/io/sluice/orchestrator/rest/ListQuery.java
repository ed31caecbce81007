package io.sluice.orchestrator.rest;

import java.util.ArrayList;
import java.util.List;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.conversation.MemoryItem;
import io.sluice.orchestrator.responses.ItemList;
import io.vertx.core.json.JsonObject;

/** The paging parameters of OpenAI's item lists: {@code after} (an item id), {@code limit} 1-100, {@code order}. */
record ListQuery(String after, int limit, boolean ascending) {

    static ListQuery of(String after, int limit, String order) {
        if (limit < 1 || limit > 100) {
            throw invalid("limit", "limit must be between 1 and 100.");
        }
        if (!"asc".equals(order) && !"desc".equals(order)) {
            throw invalid("order", "order must be 'asc' or 'desc'.");
        }
        return new ListQuery(after, limit, "asc".equals(order));
    }

    /** A page of a list held in full (oldest first). */
    JsonObject page(List<MemoryItem> oldestFirst) {
        List<MemoryItem> ordered = new ArrayList<>(oldestFirst);
        if (!ascending) {
            java.util.Collections.reverse(ordered);
        }
        int start = 0;
        if (after != null) {
            int at = -1;
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i).id().equals(after)) {
                    at = i;
                    break;
                }
            }
            start = at + 1;
        }
        int end = Math.min(ordered.size(), start + limit);
        return ItemList.of(ordered.subList(Math.min(start, end), end), end < ordered.size());
    }

    private static ApiException invalid(String param, String message) {
        return new ApiException(400, ApiError.invalidRequest("invalid_value", param, message));
    }
}
