package io.sluice.orchestrator.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.conversation.ConversationStore;
import io.sluice.orchestrator.conversation.ContextSize;
import io.vertx.core.json.JsonObject;

/**
 * For the gateway's quota reservation: how many items and tokens of stored history a Responses request continuing
 * {@code previous_response_id} or {@code conversation} will send (before truncation). A 404 in OpenAI's format when
 * the id is not the tenant's, which the gateway relays before reserving anything.
 */
@Path("/internal/memory/context")
@Produces(MediaType.APPLICATION_JSON)
public class MemoryContextResource {
    private final ConversationStore store;

    public MemoryContextResource(ConversationStore store) {
        this.store = store;
    }

    @GET
    public Uni<String> context(@HeaderParam(RelayHeaders.TENANT) String tenant,
            @QueryParam("previous_response_id") String previousResponseId,
            @QueryParam("conversation") String conversation) {
        MemoryScope scope = MemoryScope.of(tenant, null);
        if ((previousResponseId == null) == (conversation == null)) {
            throw new ApiException(400, ApiError.invalidRequest("invalid_request", null,
                    "Name exactly one of previous_response_id and conversation."));
        }
        Uni<java.util.Optional<ContextSize>> size = previousResponseId != null
                ? store.responseContext(scope.tenant(), previousResponseId)
                : store.conversationContext(scope.tenant(), conversation);
        return size.map(found -> {
            ContextSize context = found.orElseThrow(() -> new ApiException(404, previousResponseId != null
                    ? ApiError.invalidRequest(null, "previous_response_id",
                            "Previous response with id '" + previousResponseId + "' not found.")
                    : ApiError.invalidRequest(null, "conversation",
                            "Conversation with id '" + conversation + "' not found.")));
            return new JsonObject().put("items", context.items()).put("tokens", context.tokens()).encode();
        });
    }
}
