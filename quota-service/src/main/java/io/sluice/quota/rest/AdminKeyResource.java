package io.sluice.quota.rest;

import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.sluice.quota.security.AdminApi;
import io.sluice.quota.service.ApiKeyService;

@Path("/admin/keys")
@AdminApi
@Tag(name = "Admin: tenants and keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminKeyResource {
    private final ApiKeyService keys;

    public AdminKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") UUID keyId) {
        return keys.revoke(keyId).map(revoked -> RestResponse.noContent());
    }
}
