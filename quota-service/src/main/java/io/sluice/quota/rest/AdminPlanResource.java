package io.sluice.quota.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.rest.dto.ListResponse;
import io.sluice.quota.rest.dto.PlanRequest;
import io.sluice.quota.rest.dto.PlanResponse;
import io.sluice.adminguard.AdminApi;
import io.sluice.quota.service.PlanService;

@Path("/admin/plans")
@AdminApi
@Tag(name = "Admin: plans and quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminPlanResource {
    private final PlanService plans;

    public AdminPlanResource(PlanService plans) {
        this.plans = plans;
    }

    @GET
    @Operation(summary = "List plans with their limits, response-cache caps and conversation-memory policy")
    public Uni<ListResponse<PlanResponse>> list() {
        return plans.list().map(all -> ListResponse.of(all, PlanResponse::from));
    }

    @PUT
    @Path("/{name}")
    @Operation(summary = "Create a plan or replace its limits (and cache caps, memory policy); tenants on it get them"
            + " at once")
    public Uni<RestResponse<PlanResponse>> put(@PathParam("name") String name, PlanRequest request) {
        if (request == null) {
            throw ApiException.badRequest("invalid_value", null, "A JSON body with the four limits is required");
        }
        return plans.put(name, request.limits(), request.cacheMaxTtlSeconds(), request.cacheMaxBytes(),
                request.memoryMaxItems(), request.memoryRetentionDays())
                .map(change -> RestResponse.status(change.created() ? RestResponse.Status.CREATED
                        : RestResponse.Status.OK, PlanResponse.from(change.plan())));
    }
}
