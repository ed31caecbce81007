package io.sluice.contracts.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.sluice.contracts.ApiError;

/**
 * Framework-raised HTTP errors (unknown path, wrong method, unreadable JSON, unsupported media type) in OpenAI's
 * error format instead of the framework's own body, so clients see one error shape everywhere.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        String type = status == 401 ? "authentication_error"
                : status >= 500 ? "server_error" : "invalid_request_error";
        String reason = Response.Status.fromStatusCode(status) == null ? "error"
                : Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase().replace(' ', '_');
        String message = exception.getMessage() == null ? reason : exception.getMessage();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(type, reason, message))
                .build();
    }
}
