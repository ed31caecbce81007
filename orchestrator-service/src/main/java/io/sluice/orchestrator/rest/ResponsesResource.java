package io.sluice.orchestrator.rest;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import io.sluice.orchestrator.conversation.StoredResponse;
import io.vertx.core.json.JsonObject;

/**
 * Stored responses of the calling key's tenant: read, delete, and the input items they were created with. Another
 * tenant's id is not found (404), never refused (403): a refusal would confirm it exists.
 */
@Path("/v1/responses/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ResponsesResource {
    private final ConversationStore store;

    public ResponsesResource(ConversationStore store) {
        this.store = store;
    }

    @GET
    public Uni<String> get(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        return find(scope, id).map(stored -> stored.response().encode());
    }

    @DELETE
    public Uni<String> delete(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        return store.deleteResponse(scope.tenant(), id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return new JsonObject().put("id", id).put("object", "response.deleted").put("deleted", true).encode();
        });
    }

    /** OpenAI's list: newest first unless {@code order=asc}, {@code limit} 1-100 (default 20), after an item id. */
    @GET
    @Path("/input_items")
    public Uni<String> inputItems(@HeaderParam(RelayHeaders.TENANT) String tenant, @PathParam("id") String id,
            @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("20") int limit,
            @QueryParam("order") @DefaultValue("desc") String order) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        ListQuery query = ListQuery.of(after, limit, order);
        return find(scope, id).map(stored -> query.page(stored.inputItems()).encode());
    }

    private Uni<StoredResponse> find(MemoryScope scope, String id) {
        return store.findResponse(scope.tenant(), id).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, ApiError.invalidRequest(null, null, "Response with id '" + id + "' not found."));
    }
}
