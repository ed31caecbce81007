package io.sluice.guard.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The service-token guard for raw Vert.x routes (and any JAX-RS resource under the same path): a call without an
 * accepted service token gets 401 before any other route of the application sees it.
 */
@ApplicationScoped
public class ServiceRouteGuard {
    /** After Quarkus' own handlers (body, headers, upload limits), before every route an application adds. */
    private static final int ORDER = -1;

    private final ServiceTokenVerifier verifier;

    public ServiceRouteGuard(ServiceTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Requires the service token on every request whose path matches {@code path} (Vert.x syntax, e.g. "/v1/*"). */
    public void guard(Router router, String path) {
        router.route(path).order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        if (verifier.accepts(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            context.next();
        } else {
            ServiceTokenVerifier.REFUSED.send(context.response());
        }
    }
}
