package io.sluice.orchestrator.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.orchestrator.config.RequestLimitsConfig;
import io.sluice.orchestrator.responses.ResponseTurn;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/responses} is a raw Vert.x route, as chat completions are: its events are written as the
 * provider's chunks arrive. Reading, listing and deleting stored responses are in {@link ResponsesResource}.
 */
@ApplicationScoped
public class ResponsesRoutes {
    private final ResponseTurn turn;
    private final RequestLimitsConfig limits;

    public ResponsesRoutes(ResponseTurn turn, RequestLimitsConfig limits) {
        this.turn = turn;
        this.limits = limits;
    }

    void register(@Observes Router router) {
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
        router.post("/v1/responses").handler(bodies).handler(turn::serve);
    }
}
