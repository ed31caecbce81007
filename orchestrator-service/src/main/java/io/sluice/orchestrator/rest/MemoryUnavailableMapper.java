package io.sluice.orchestrator.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.sluice.orchestrator.conversation.MemoryErrors;
import io.sluice.orchestrator.conversation.MemoryUnavailableException;

/** PostgreSQL out of reach: a 503 in OpenAI's format with a Retry-After, never a 500. */
@Provider
public class MemoryUnavailableMapper implements ExceptionMapper<MemoryUnavailableException> {
    @Override
    public Response toResponse(MemoryUnavailableException unavailable) {
        return Response.status(503).header("retry-after", MemoryErrors.RETRY_AFTER_SECONDS).type(MediaType.APPLICATION_JSON)
                .entity(MemoryErrors.UNAVAILABLE).build();
    }
}
