package io.sluice.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** The orchestrator's model catalogue: every alias it can route. Asked with the service token. */
@RegisterRestClient(configKey = "orchestrator")
@RegisterClientHeaders(ServiceCredential.class)
@Path("/v1/models")
public interface OrchestratorCatalogClient {
    @GET
    Uni<ModelList> models();
}
