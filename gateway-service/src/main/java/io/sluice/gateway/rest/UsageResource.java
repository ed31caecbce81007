package io.sluice.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.client.TelemetryClient;
import io.sluice.gateway.service.ApiKeyAuthenticator;

/**
 * {@code GET /v1/usage}: the calling key's tenant's usage and cost by day and model, as JSON or CSV. The tenant is
 * always the key's own: a key never sees another tenant's usage, whatever the query says.
 */
@Path("/v1/usage")
public class UsageResource {
    private final ApiKeyAuthenticator authenticator;
    private final TelemetryClient telemetry;

    public UsageResource(ApiKeyAuthenticator authenticator, TelemetryClient telemetry) {
        this.authenticator = authenticator;
        this.telemetry = telemetry;
    }

    // from, to and format are declared for the OpenAPI description; the raw query string is what is forwarded.
    @GET
    @Produces({ "application/json", "text/csv" })
    @Operation(summary = "Usage and cost of the calling key's tenant, by day and model")
    public Uni<Response> usage(@HeaderParam("authorization") String authorization,
            @HeaderParam("x-api-key") String apiKey,
            @Parameter(description = "First day, ISO date (UTC); default: the first of this month")
            @QueryParam("from") String from,
            @Parameter(description = "Last day, ISO date (UTC), inclusive; default: today")
            @QueryParam("to") String to,
            @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
            @Context UriInfo uri) {
        return authenticator.authenticate(ApiKeyAuthenticator.presentedKey(authorization, apiKey))
                .flatMap(grant -> telemetry.report(grant.tenantId(), uri.getRequestUri().getRawQuery()))
                .map(report -> Response.status(report.status())
                        .type(report.contentType() == null ? "application/json" : report.contentType())
                        .entity(report.body().getBytes())
                        .build())
                .onFailure(err -> !(err instanceof ApiException)).transform(err -> {
                    Log.warnf("usage report unavailable: %s", err.toString());
                    return new ApiException(503, ApiError.of("server_error", "usage_unavailable",
                            "Usage reports are unavailable right now; try again shortly."));
                });
    }
}
