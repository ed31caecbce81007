package io.sluice.orchestrator.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.orchestrator.config.RequestLimitsConfig;
import io.sluice.orchestrator.service.UpstreamProxy;
import io.sluice.orchestrator.service.UpstreamProxy.Endpoint;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The inference endpoints are raw Vert.x routes rather than JAX-RS resources: they relay upstream bytes as they
 * arrive, which a proxy needs and a resource method would buffer or re-frame.
 */
@ApplicationScoped
public class InferenceRoutes {
    private final UpstreamProxy proxy;
    private final RequestLimitsConfig limits;

    public InferenceRoutes(UpstreamProxy proxy, RequestLimitsConfig limits) {
        this.proxy = proxy;
        this.limits = limits;
    }

    void register(@Observes Router router) {
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
        router.post("/v1/chat/completions").handler(bodies).handler(ctx -> proxy.forward(ctx, Endpoint.CHAT));
        router.post("/v1/embeddings").handler(bodies).handler(ctx -> proxy.forward(ctx, Endpoint.EMBEDDINGS));
    }
}
