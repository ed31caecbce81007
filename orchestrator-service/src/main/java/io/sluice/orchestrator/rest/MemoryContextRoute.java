package io.sluice.orchestrator.rest;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.smallrye.common.vertx.VertxContext;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.orchestrator.conversation.MemoryErrors;
import io.sluice.orchestrator.conversation.MemoryItem;
import io.sluice.orchestrator.conversation.MemoryUnavailableException;
import io.sluice.orchestrator.responses.HistoryRecall;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.sluice.contracts.memory.HistoryReference;

/**
 * {@code GET /internal/memory/context}, for the gateway's quota reservation: how many items and tokens of stored
 * history a Responses request continuing {@code previous_response_id} or {@code conversation} will send (before
 * truncation), as {@code {"items":N,"tokens":T}}. A 404 in OpenAI's format when the id is not the tenant's, which the
 * gateway relays before reserving anything. The items read are held for the turn of the same request id
 * ({@link HistoryRecall}). A raw route, as the turn's: it runs before every turn that continues a history.
 */
@ApplicationScoped
public class MemoryContextRoute {
    private final HistoryRecall recall;
    private final Vertx vertx;

    public MemoryContextRoute(HistoryRecall recall, Vertx vertx) {
        this.recall = recall;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.get("/internal/memory/context").handler(this::context);
    }

    void context(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse out = ctx.response();
        String tenant;
        HistoryReference reference;
        try {
            tenant = MemoryScope.of(request.getHeader(RelayHeaders.TENANT), null).tenant();
            reference = reference(request.getParam("previous_response_id"), request.getParam("conversation"));
        } catch (ApiException refused) {
            ApiErrorResponses.send(out, refused.status(), refused.error());
            return;
        }
        String requestId = request.getHeader("x-request-id");
        // The stores' reactive sessions need a duplicated context; a raw route runs on the event loop's own.
        VertxContext.getOrCreateDuplicatedContext(vertx).runOnContext(v -> recall
                .forSizing(tenant, requestId, reference)
                .subscribe().with(items -> out.putHeader("content-type", "application/json").end(size(items)),
                        failure -> fail(out, failure)));
    }

    private static HistoryReference reference(String previousResponseId, String conversation) {
        if ((previousResponseId == null) == (conversation == null)) {
            throw new ApiException(400, ApiError.invalidRequest("invalid_request", null,
                    "Name exactly one of previous_response_id and conversation."));
        }
        return HistoryReference.of(previousResponseId, conversation);
    }

    private static String size(List<MemoryItem> items) {
        int tokens = 0;
        for (MemoryItem item : items) {
            tokens += item.tokens();
        }
        return new JsonObject().put("items", items.size()).put("tokens", tokens).encode();
    }

    private static void fail(HttpServerResponse out, Throwable failure) {
        if (out.ended() || out.closed()) {
            return;
        }
        if (failure instanceof ApiException refused) {
            ApiErrorResponses.send(out, refused.status(), refused.error());
        } else if (failure instanceof MemoryUnavailableException) {
            out.putHeader("retry-after", MemoryErrors.RETRY_AFTER_SECONDS);
            ApiErrorResponses.send(out, 503, MemoryErrors.UNAVAILABLE);
        } else {
            Log.warn("sizing a stored history failed", failure);
            ApiErrorResponses.send(out, 500, ApiError.of("server_error", "internal_error",
                    "The stored history could not be read."));
        }
    }
}
