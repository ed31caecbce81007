package io.sluice.quota.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.rest.dto.ApiKeyResponse;
import io.sluice.quota.rest.dto.CreateTenantRequest;
import io.sluice.quota.rest.dto.IssueKeyRequest;
import io.sluice.quota.rest.dto.IssuedKeyResponse;
import io.sluice.quota.rest.dto.ListResponse;
import io.sluice.quota.rest.dto.TenantResponse;
import io.sluice.quota.rest.dto.UpdateTenantRequest;
import io.sluice.adminguard.AdminApi;
import io.sluice.quota.service.ApiKeyService;
import io.sluice.quota.service.BudgetChanges;
import io.sluice.quota.service.CacheChanges;
import io.sluice.quota.service.LimitChanges;
import io.sluice.quota.service.MemoryChanges;
import io.sluice.quota.service.TenantService;

@Path("/admin/tenants")
@AdminApi
@Tag(name = "Admin: tenants and keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminTenantResource {
    private final TenantService tenants;
    private final ApiKeyService keys;

    public AdminTenantResource(TenantService tenants, ApiKeyService keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    @POST
    @Operation(summary = "Create a tenant on a plan")
    public Uni<RestResponse<TenantResponse>> create(CreateTenantRequest request) {
        if (request == null) {
            throw ApiException.badRequest("invalid_value", null, "A JSON body with name and plan is required");
        }
        return tenants.create(request.name(), request.plan(), CacheChanges.parse(request.cache(), "cache"),
                MemoryChanges.parse(request.memory(), "memory"))
                .map(created -> RestResponse.ResponseBuilder
                        .<TenantResponse> created(URI.create("/admin/tenants/" + created.tenant().id))
                        .entity(TenantResponse.from(created))
                        .build());
    }

    @GET
    @Operation(summary = "List tenants")
    public Uni<ListResponse<TenantResponse>> list() {
        return tenants.list().map(all -> ListResponse.of(all, TenantResponse::from));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a tenant with its plan, overrides, budgets, cache and memory settings and what is in"
            + " effect")
    public Uni<TenantResponse> get(@PathParam("id") UUID id) {
        return tenants.get(id).map(TenantResponse::from);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a tenant's plan, overrides, budgets, cache or memory settings; what is absent stays,"
            + " a null field is removed")
    public Uni<TenantResponse> update(@PathParam("id") UUID id, UpdateTenantRequest request) {
        if (request == null) {
            throw ApiException.badRequest("invalid_value", null,
                    "A JSON body with plan, overrides, budgets, cache or memory is required");
        }
        return tenants.update(id, request.plan(), LimitChanges.parse(request.overrides(), "overrides"),
                BudgetChanges.parse(request.budgets(), "budgets"), CacheChanges.parse(request.cache(), "cache"),
                MemoryChanges.parse(request.memory(), "memory"))
                .map(TenantResponse::from);
    }

    @POST
    @Path("/{id}/keys")
    @Operation(summary = "Issue an API key; the response is the only time the key is shown")
    public Uni<RestResponse<IssuedKeyResponse>> issueKey(@PathParam("id") UUID tenantId, IssueKeyRequest request) {
        IssueKeyRequest options = request == null ? IssueKeyRequest.EMPTY : request;
        return keys.issue(tenantId, options.name(), options.models(), options.expiresAt(),
                LimitChanges.parse(options.limits(), "limits"), CacheChanges.parse(options.cache(), "cache"))
                .map(issued -> AdminKeyResource.secret(IssuedKeyResponse.from(issued)));
    }

    @GET
    @Path("/{id}/keys")
    @Operation(summary = "List a tenant's API keys (prefix and last four characters only)")
    public Uni<ListResponse<ApiKeyResponse>> listKeys(@PathParam("id") UUID tenantId) {
        return keys.listForTenant(tenantId).map(all -> ListResponse.of(all, ApiKeyResponse::from));
    }
}
