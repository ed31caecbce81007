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
import io.sluice.guard.service.InternalApi;
import io.sluice.quota.entity.PartialLimits;
import io.sluice.quota.entity.UsdBudgets;
import io.sluice.quota.model.Limits;
import io.sluice.quota.rest.dto.ApiKeyResponse;
import io.sluice.quota.service.KeyLookupService;
import io.sluice.quota.service.UsableKey;

/** Called by the gateway on a key-cache miss, with the service token. */
@Path("/internal/keys")
@InternalApi
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
        Limits limits = usable.tenantLimits();
        PartialLimits keyLimits = usable.key().limits();
        UsdBudgets budgets = usable.tenant().budgets();
        return new KeyGrant(usable.key().id.toString(), usable.tenant().id.toString(), usable.tenant().name,
                usable.plan().name,
                new KeyGrant.PlanLimits(limits.requestsPerMinute(), limits.requestsPerHour(),
                        limits.requestsPerDay(), limits.tokensPerDay()),
                new KeyGrant.KeyLimits(keyLimits.requestsPerMinute(), keyLimits.requestsPerHour(),
                        keyLimits.requestsPerDay(), keyLimits.tokensPerDay()),
                new KeyGrant.Budgets(budgets.dailyUsd(), budgets.monthlyUsd()),
                ApiKeyResponse.models(usable.key()), usable.key().expiresAt, usable.cachePolicy(),
                usable.memoryPolicy());
    }
}
