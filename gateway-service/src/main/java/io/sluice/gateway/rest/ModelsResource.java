package io.sluice.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.mutiny.Uni;
import io.sluice.gateway.client.ModelList;
import io.sluice.gateway.client.OrchestratorCatalogClient;
import io.sluice.gateway.service.ApiKeyAuthenticator;

/** {@code GET /v1/models}: the catalogue's models that the calling key may use. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final ApiKeyAuthenticator authenticator;
    private final OrchestratorCatalogClient catalog;

    public ModelsResource(ApiKeyAuthenticator authenticator, @RestClient OrchestratorCatalogClient catalog) {
        this.authenticator = authenticator;
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "List the models the calling API key may use")
    public Uni<ModelList> list(@HeaderParam("authorization") String authorization,
            @HeaderParam("x-api-key") String apiKey) {
        return authenticator.authenticate(ApiKeyAuthenticator.presentedKey(authorization, apiKey))
                .flatMap(grant -> catalog.models().map(all -> new ModelList("list", all.data().stream()
                        .filter(model -> grant.allowsModel(model.id()))
                        .toList())));
    }
}
