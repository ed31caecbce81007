package io.sluice.quota.rest;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.sluice.adminguard.AdminApi;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.rest.dto.CacheClearResponse;
import io.sluice.quota.rest.dto.CacheViewResponse;
import io.sluice.quota.service.ResponseCacheService;
import io.vertx.core.http.HttpServerRequest;

@Path("/admin/cache")
@AdminApi
@Tag(name = "Admin: response cache")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCacheResource {
    private final ResponseCacheService cache;

    public AdminCacheResource(ResponseCacheService cache) {
        this.cache = cache;
    }

    @GET
    @Path("/{tenant}")
    @Operation(summary = "A tenant's response cache: entries, bytes, hits, misses, saved USD, evictions and policy")
    public Uni<CacheViewResponse> view(@PathParam("tenant") UUID tenantId) {
        return cache.view(tenantId).map(CacheViewResponse::from);
    }

    @DELETE
    @Path("/{tenant}")
    @Operation(summary = "Delete a tenant's cached answers, all or one namespace's")
    @Parameter(name = "namespace", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING),
            description = "Only this namespace (1-64 of A-Z a-z 0-9 . _ -); absent for all")
    public Uni<CacheClearResponse> clear(@PathParam("tenant") UUID tenantId, @Context HttpServerRequest request) {
        // Read from Vert.x, which keeps "?namespace=" as an empty value (JAX-RS drops it): an empty or repeated
        // namespace is refused, never taken for "all namespaces".
        List<String> namespace = namespaceParameters(request);
        if (namespace.size() > 1) {
            throw ApiException.badRequest("invalid_value", "namespace", "Name at most one namespace");
        }
        return cache.clear(tenantId, namespace.isEmpty() ? null : namespace.get(0)).map(CacheClearResponse::new);
    }

    private static List<String> namespaceParameters(HttpServerRequest request) {
        try {
            return request.params().getAll("namespace");
        } catch (IllegalArgumentException malformed) {
            // A query string that does not decode (a stray %) names no namespace this endpoint could clear.
            throw ApiException.badRequest("invalid_value", "namespace", "The query string is malformed");
        }
    }
}
