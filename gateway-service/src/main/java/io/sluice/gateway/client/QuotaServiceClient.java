package io.sluice.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;

/** quota-service's internal key lookup, asked only on a key-cache miss, with the service token. */
@RegisterRestClient(configKey = "quota-service")
@RegisterClientHeaders(ServiceCredential.class)
@Path("/internal/keys")
public interface QuotaServiceClient {
    @GET
    @Path("/{sha256}")
    Uni<KeyGrant> lookup(@PathParam("sha256") String sha256Hex);
}
