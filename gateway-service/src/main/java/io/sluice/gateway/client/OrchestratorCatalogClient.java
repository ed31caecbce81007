package io.sluice.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** The orchestrator's model catalogue: every alias it can route. */
@RegisterRestClient(configKey = "orchestrator")
@Path("/v1/models")
public interface OrchestratorCatalogClient {
    @GET
    Uni<ModelList> models();
}
