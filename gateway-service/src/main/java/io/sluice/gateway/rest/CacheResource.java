package io.sluice.gateway.rest;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.cache.ResponseCache;
import io.sluice.gateway.service.ApiKeyAuthenticator;
import io.vertx.core.json.JsonObject;

/**
 * {@code DELETE /v1/cache}: a tenant clears its own cached answers (all, or one namespace) with any of its keys.
 * The tenant is always the key's own.
 */
@Path("/v1/cache")
public class CacheResource {
    private final ApiKeyAuthenticator authenticator;
    private final ResponseCache cache;

    public CacheResource(ApiKeyAuthenticator authenticator, ResponseCache cache) {
        this.authenticator = authenticator;
        this.cache = cache;
    }

    @DELETE
    @Produces("application/json")
    @Operation(summary = "Delete the calling key's tenant's cached answers, or one namespace's")
    public Uni<String> clear(@HeaderParam("authorization") String authorization,
            @HeaderParam("x-api-key") String apiKey,
            @Parameter(description = "Only this namespace (as sent in x-sluice-cache-namespace)")
            @QueryParam("namespace") String namespace) {
        if (namespace != null && !CacheKeys.isValidNamespace(namespace)) {
            return Uni.createFrom().failure(new ApiException(400, ApiError.invalidRequest("invalid_cache_namespace",
                    "namespace", "A cache namespace is 1 to 64 of the characters A-Z, a-z, 0-9, '.', '_' and '-'.")));
        }
        return authenticator.authenticate(ApiKeyAuthenticator.presentedKey(authorization, apiKey))
                .flatMap(grant -> cache.clear(grant.tenantId(), namespace)
                        .onFailure().transform(err -> {
                            Log.warnf("cache clear failed: %s", err.toString());
                            return new ApiException(503, ApiError.of("server_error", "cache_unavailable",
                                    "The response cache is unavailable right now; try again shortly."));
                        }))
                .map(deleted -> new JsonObject().put("object", "cache.deletion").put("deleted", deleted)
                        .put("namespace", namespace).encode());
    }
}
