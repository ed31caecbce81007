package io.sluice.quota.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.sluice.quota.service.StoreUnavailableException;

/** The 503 of an unavailable store, in OpenAI's error format like every error, with the Retry-After a client honours. */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

    @Override
    public Response toResponse(StoreUnavailableException exception) {
        return Response.status(exception.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, StoreUnavailableException.RETRY_AFTER_SECONDS)
                .entity(exception.error())
                .build();
    }
}
