package io.sluice.quota.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.sluice.quota.rest.dto.QuotaUsageResponse;
import io.sluice.adminguard.AdminApi;
import io.sluice.quota.service.QuotaUsageService;

@Path("/admin/quotas")
@AdminApi
@Tag(name = "Admin: plans and quotas")
@Produces(MediaType.APPLICATION_JSON)
public class AdminQuotaResource {
    private final QuotaUsageService quotas;

    public AdminQuotaResource(QuotaUsageService quotas) {
        this.quotas = quotas;
    }

    @GET
    @Path("/{tenant}")
    @Operation(summary = "A tenant's live usage in the current windows against its limits and budgets")
    public Uni<QuotaUsageResponse> usage(@PathParam("tenant") UUID tenantId) {
        return quotas.usage(tenantId).map(QuotaUsageResponse::from);
    }

    @POST
    @Path("/{tenant}/reset")
    @Operation(summary = "Reset a tenant's counters (its own and its keys') in the current windows")
    public Uni<RestResponse<Void>> reset(@PathParam("tenant") UUID tenantId) {
        return quotas.reset(tenantId).map(deleted -> RestResponse.noContent());
    }
}
