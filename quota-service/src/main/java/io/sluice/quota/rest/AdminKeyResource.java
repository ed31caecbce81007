package io.sluice.quota.rest;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.rest.dto.ApiKeyResponse;
import io.sluice.quota.rest.dto.IssuedKeyResponse;
import io.sluice.quota.rest.dto.RotateKeyRequest;
import io.sluice.quota.rest.dto.UpdateKeyRequest;
import io.sluice.adminguard.AdminApi;
import io.sluice.quota.service.ApiKeyService;
import io.sluice.quota.service.CacheChanges;
import io.sluice.quota.service.LimitChanges;

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

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an API key's own limits or cache settings; what is absent stays, a null field is"
            + " removed")
    public Uni<ApiKeyResponse> update(@PathParam("id") UUID keyId, UpdateKeyRequest request) {
        if (request == null) {
            throw ApiException.badRequest("invalid_value", "limits", "A JSON body with limits or cache is required");
        }
        return keys.update(keyId, LimitChanges.parse(request.limits(), "limits"),
                CacheChanges.parse(request.cache(), "cache")).map(ApiKeyResponse::from);
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an API key by a new one; the old key works until the grace period ends")
    public Uni<RestResponse<IssuedKeyResponse>> rotate(@PathParam("id") UUID keyId, RotateKeyRequest request) {
        return keys.rotate(keyId, request == null ? null : request.graceSeconds())
                .map(rotated -> secret(IssuedKeyResponse.from(rotated)));
    }

    /** A bare {@code POST .../rotate} without a JSON body (e.g. {@code curl -X POST}): the configured grace applies. */
    @POST
    @Path("/{id}/rotate")
    @Operation(hidden = true)
    public Uni<RestResponse<IssuedKeyResponse>> rotateWithoutBody(@PathParam("id") UUID keyId,
            HttpHeaders headers) {
        // A body in another format is refused rather than ignored: it may ask for a grace other than the default.
        if (headers.getLength() > 0 || headers.getHeaderString("Transfer-Encoding") != null) {
            throw new ApiException(415, ApiError.invalidRequest("unsupported_media_type", null,
                    "Send the body as application/json"));
        }
        return rotate(keyId, null);
    }

    /** A 201 whose body holds a key's plaintext, which no cache may keep. */
    static RestResponse<IssuedKeyResponse> secret(IssuedKeyResponse issued) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, issued)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
