package io.sluice.orchestrator.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.conversation.ConversationStore;
import io.sluice.orchestrator.conversation.StoredConversation;
import io.sluice.orchestrator.responses.ConversationItems;
import io.sluice.orchestrator.responses.ItemList;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's Conversations API over the calling key's tenant's conversations: create (with initial items and
 * metadata), read, update the metadata, delete (with every item), and list, add, read and delete items. Items
 * are validated as Responses API input items; appending prunes the conversation to its tenant's {@code maxItems}.
 * Another tenant's id is not found (404).
 */
@Path("/v1/conversations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConversationsResource {
    private final ConversationStore store;

    public ConversationsResource(ConversationStore store) {
        this.store = store;
    }

    @POST
    public Uni<String> create(@HeaderParam(RelayHeaders.TENANT) String tenant,
            @HeaderParam(RelayHeaders.MEMORY_POLICY) String policy, String body) {
        MemoryScope scope = MemoryScope.of(tenant, policy);
        JsonObject request = object(body);
        JsonObject metadata = ConversationItems.metadata(request.getValue("metadata"));
        List<JsonObject> items = ConversationItems.parse(request.getValue("items"), "items");
        return store.createConversation(scope.tenant(), metadata, items, scope.policy())
                .map(created -> json(created).encode());
    }

    @GET
    @Path("/{id}")
    public Uni<String> get(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        return store.findConversation(scope.tenant(), id)
                .map(found -> json(found.orElseThrow(() -> notFound(id))).encode());
    }

    @POST
    @Path("/{id}")
    public Uni<String> update(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id,
            String body) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        JsonObject metadata = ConversationItems.metadata(object(body).getValue("metadata"));
        return store.updateMetadata(scope.tenant(), id, metadata)
                .map(found -> json(found.orElseThrow(() -> notFound(id))).encode());
    }

    @DELETE
    @Path("/{id}")
    public Uni<String> delete(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        return store.deleteConversation(scope.tenant(), id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return new JsonObject().put("id", id).put("object", "conversation.deleted").put("deleted", true)
                    .encode();
        });
    }

    /** Newest first unless {@code order=asc}, as OpenAI lists a conversation's items. */
    @GET
    @Path("/{id}/items")
    public Uni<String> items(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id,
            @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("20") int limit,
            @QueryParam("order") @DefaultValue("desc") String order) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        ListQuery query = ListQuery.of(after, limit, order);
        return store.listItems(scope.tenant(), id, query.after(), query.limit(), query.ascending())
                .map(found -> {
                    var page = found.orElseThrow(() -> notFound(id));
                    return ItemList.of(page.items(), page.hasMore()).encode();
                });
    }

    @POST
    @Path("/{id}/items")
    public Uni<String> addItems(@HeaderParam(RelayHeaders.TENANT) String tenant,
            @HeaderParam(RelayHeaders.MEMORY_POLICY) String policy, @PathParam("id") String id, String body) {
        MemoryScope scope = MemoryScope.of(tenant, policy);
        List<JsonObject> items = ConversationItems.parse(object(body).getValue("items"), "items");
        if (items.isEmpty()) {
            throw new ApiException(400, ApiError.invalidRequest("missing_required_parameter", "items",
                    "items must hold at least one item."));
        }
        return store.appendItems(scope.tenant(), id, items, scope.policy())
                .map(found -> ItemList.of(found.orElseThrow(() -> notFound(id)), false).encode());
    }

    @GET
    @Path("/{id}/items/{itemId}")
    public Uni<String> item(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id,
            @PathParam("itemId") String itemId) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        return store.findItem(scope.tenant(), id, itemId)
                .map(found -> found.orElseThrow(() -> itemNotFound(itemId)).item().encode());
    }

    /** Answers with the conversation, as OpenAI does. */
    @DELETE
    @Path("/{id}/items/{itemId}")
    public Uni<String> deleteItem(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id,
            @PathParam("itemId") String itemId) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        return store.deleteItem(scope.tenant(), id, itemId).chain(deleted -> {
            if (deleted.isEmpty()) {
                throw notFound(id);
            }
            if (!deleted.get()) {
                throw itemNotFound(itemId);
            }
            return store.findConversation(scope.tenant(), id)
                    .map(found -> json(found.orElseThrow(() -> notFound(id))).encode());
        });
    }

    static JsonObject json(StoredConversation conversation) {
        return new JsonObject().put("id", conversation.id()).put("object", "conversation")
                .put("created_at", conversation.createdAt().getEpochSecond())
                .put("metadata", conversation.metadata() == null ? new JsonObject() : conversation.metadata());
    }

    private static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(body);
            if (parsed instanceof JsonObject object) {
                return object;
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw new ApiException(400, ApiError.invalidRequest("invalid_json", null, "Request body must be a JSON object."));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404,
                ApiError.invalidRequest(null, null, "Conversation with id '" + id + "' not found."));
    }

    private static ApiException itemNotFound(String id) {
        return new ApiException(404, ApiError.invalidRequest(null, null, "Item with id '" + id + "' not found."));
    }
}
