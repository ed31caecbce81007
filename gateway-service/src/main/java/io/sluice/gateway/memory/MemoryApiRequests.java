package io.sluice.gateway.memory;

import java.util.List;
import java.util.Set;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.service.InferenceRequestValidator;
import io.sluice.gateway.validation.JsonParams;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The Responses and Conversations APIs' reads, writes and deletions as the gateway checks them: path ids of their
 * kind, list parameters, and the bodies of writes (items as a response's input is checked, metadata as OpenAI bounds
 * it). Only what was checked is forwarded: a list's query is rebuilt from its valid parameters.
 */
public final class MemoryApiRequests {
    private static final Set<String> ORDERS = Set.of("asc", "desc");
    static final int MAX_LIMIT = 100;

    private MemoryApiRequests() {
    }

    public static String responseId(String value) {
        return MemoryIds.response(value, "response_id");
    }

    public static String conversationId(String value) {
        return MemoryIds.conversation(value, "conversation_id");
    }

    public static String itemId(String value) {
        return MemoryIds.item(value, "item_id");
    }

    /**
     * A list's query ({@code limit} 1 to 100, {@code order} asc or desc, {@code after} an item id), as forwarded:
     * empty, or {@code ?} and the valid parameters. {@code include} and anything else is not forwarded.
     */
    public static String listQuery(MultiMap params) {
        StringBuilder query = new StringBuilder();
        String limit = single(params, "limit");
        if (limit != null) {
            int value;
            try {
                value = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                value = 0;
            }
            if (value < 1 || value > MAX_LIMIT) {
                throw JsonParams.invalidValue("limit", "must be an integer from 1 to " + MAX_LIMIT);
            }
            query.append("&limit=").append(value);
        }
        String order = single(params, "order");
        if (order != null) {
            query.append("&order=").append(JsonParams.oneOf(order, "order", ORDERS));
        }
        String after = single(params, "after");
        if (after != null) {
            query.append("&after=").append(MemoryIds.item(after, "after"));
        }
        return query.isEmpty() ? "" : "?" + query.substring(1);
    }

    private static String single(MultiMap params, String name) {
        List<String> values = params.getAll(name);
        if (values.size() > 1) {
            throw JsonParams.invalidValue(name, "may be given once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** {@code POST /v1/conversations}: optional initial {@code items} and {@code metadata}; an empty body is {}. */
    public static Buffer newConversation(Buffer body, RequestLimitsConfig limits) {
        if (body == null || body.length() == 0) {
            return Buffer.buffer("{}");
        }
        JsonObject request = InferenceRequestValidator.jsonObject(body);
        if (request.getValue("items") != null) {
            ResponseItems.check(request.getValue("items"), "items", limits);
        }
        Metadata.check(request, "metadata", "metadata");
        return body;
    }

    /** {@code POST /v1/conversations/{id}}: the new {@code metadata}, required. */
    public static Buffer conversationUpdate(Buffer body) {
        JsonObject request = InferenceRequestValidator.jsonObject(body);
        if (request.getValue("metadata") == null) {
            throw ApiException.badRequest("missing_required_parameter", "metadata", "'metadata' is required");
        }
        Metadata.check(request, "metadata", "metadata");
        return body;
    }

    /** {@code POST /v1/conversations/{id}/items}: the {@code items} to append, required. */
    public static Buffer newItems(Buffer body, RequestLimitsConfig limits) {
        JsonObject request = InferenceRequestValidator.jsonObject(body);
        if (request.getValue("items") == null) {
            throw ApiException.badRequest("missing_required_parameter", "items", "'items' is required");
        }
        ResponseItems.check(request.getValue("items"), "items", limits);
        return body;
    }
}
