package io.sluice.orchestrator.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.sluice.orchestrator.adapter.InvalidRequestException;

/** A request field that cannot be served: a 400 naming it, in OpenAI's format. */
@Provider
public class InvalidRequestMapper implements ExceptionMapper<InvalidRequestException> {
    @Override
    public Response toResponse(InvalidRequestException invalid) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(invalid.error()).build();
    }
}
