package io.sluice.guard.service;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** The guard of every {@link InternalApi} resource: a call without an accepted service token gets 401. */
@Provider
@InternalApi
@Priority(Priorities.AUTHENTICATION)
public class ServiceTokenFilter implements ContainerRequestFilter {
    private final ServiceTokenVerifier verifier;

    public ServiceTokenFilter(ServiceTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!verifier.accepts(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(ServiceTokenVerifier.REFUSED.response());
        }
    }
}
