package io.sluice.quota.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;
import io.sluice.quota.rest.dto.ApiKeyResponse;
import io.sluice.quota.service.KeyLookupService;
import io.sluice.quota.service.UsableKey;

/** Called by the gateway on a key-cache miss; reachable only inside the cluster (NetworkPolicy). */
@Path("/internal/keys")
@Tag(name = "Internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalKeyResource {
    private final KeyLookupService lookup;

    public InternalKeyResource(KeyLookupService lookup) {
        this.lookup = lookup;
    }

    @GET
    @Path("/{sha256}")
    @Operation(summary = "Resolve an active key by the hex SHA-256 of its plaintext")
    public Uni<KeyGrant> lookup(@PathParam("sha256") String sha256Hex) {
        return lookup.lookup(sha256Hex).map(InternalKeyResource::grant);
    }

    private static KeyGrant grant(UsableKey usable) {
        var limits = usable.limits();
        return new KeyGrant(usable.key().id.toString(), usable.tenant().id.toString(), usable.tenant().name,
                usable.tenant().plan,
                new KeyGrant.PlanLimits(limits.requestsPerMinute(), limits.requestsPerHour(),
                        limits.requestsPerDay(), limits.tokensPerDay()),
                ApiKeyResponse.models(usable.key()), usable.key().expiresAt);
    }
}
