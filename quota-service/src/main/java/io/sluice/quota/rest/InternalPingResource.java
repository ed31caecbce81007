package io.sluice.quota.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.guard.service.InternalApi;

/**
 * Answers 204 to a caller holding the service token, and needs nothing else: the gateway's readiness asks it over
 * the service port whether quota-service is up and accepts the gateway's credential (its health endpoints are on the
 * management port, which the gateway does not reach).
 */
@Path("/internal/ping")
@InternalApi
@Tag(name = "Internal")
public class InternalPingResource {

    @GET
    @Operation(summary = "204 when the caller's service token is accepted")
    public void ping() {
        // 204 No Content
    }
}
