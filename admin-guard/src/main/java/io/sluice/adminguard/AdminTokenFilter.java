package io.sluice.adminguard;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import io.sluice.contracts.ApiError;

/** The one guard of the admin API: every {@link AdminApi} resource needs {@code Authorization: Bearer <admin token>}. */
@Provider
@AdminApi
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {
    private static final String BEARER = "Bearer ";

    private final AdminTokenVerifier verifier;

    public AdminTokenFilter(AdminTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!verifier.accepts(bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION)))) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice-admin\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.authentication(
                            "Missing or invalid admin token: send 'Authorization: Bearer <admin token>'."))
                    .build());
        }
    }

    private static String bearerToken(String authorization) {
        // The scheme name is case-insensitive (RFC 9110).
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }
}
