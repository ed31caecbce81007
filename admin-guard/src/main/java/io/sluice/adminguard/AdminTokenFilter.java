package io.sluice.adminguard;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.credential.BearerToken;
import io.sluice.guard.Unauthorized;

/** The one guard of the admin API: every {@link AdminApi} resource needs {@code Authorization: Bearer <admin token>}. */
@Provider
@AdminApi
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {
    private static final Unauthorized REFUSED = new Unauthorized("sluice-admin", ApiError.authentication(
            "Missing or invalid admin token: send 'Authorization: Bearer <admin token>'."));

    private final AdminTokenVerifier verifier;

    public AdminTokenFilter(AdminTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!verifier.accepts(BearerToken.of(request.getHeaderString(HttpHeaders.AUTHORIZATION)))) {
            request.abortWith(REFUSED.response());
        }
    }
}
