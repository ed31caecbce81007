package io.sluice.orchestrator.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.guard.service.ServiceRouteGuard;
import io.vertx.ext.web.Router;

/**
 * Everything under /v1 and /internal is for the gateway alone (clients reach the public API through it), so every
 * such call, raw route or JAX-RS resource, present or future, must carry the service token.
 */
@ApplicationScoped
public class ServiceTokenRoutes {
    private final ServiceRouteGuard guard;

    public ServiceTokenRoutes(ServiceRouteGuard guard) {
        this.guard = guard;
    }

    void register(@Observes Router router) {
        guard.guard(router, "/v1/*");
        guard.guard(router, "/internal/*");
    }
}
