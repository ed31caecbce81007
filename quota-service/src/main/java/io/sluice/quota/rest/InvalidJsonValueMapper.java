package io.sluice.quota.rest;

import java.util.stream.Collectors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.sluice.contracts.ApiError;

/**
 * Well-formed JSON with a value of the wrong type (a string or a fraction where a limit goes) as a 400 in OpenAI's
 * error format naming the field, e.g. {@code overrides.requests_per_minute}, instead of Quarkus' own error body.
 */
@Provider
public class InvalidJsonValueMapper implements ExceptionMapper<MismatchedInputException> {

    @Override
    public Response toResponse(MismatchedInputException exception) {
        String param = exception.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : String.valueOf(reference.getIndex()))
                .collect(Collectors.joining("."));
        String message = param.isEmpty() ? "The request body has the wrong shape"
                : "Invalid value for " + param + ": expected " + expectedType(exception);
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.invalidRequest("invalid_value", param.isEmpty() ? null : param, message))
                .build();
    }

    private static String expectedType(MismatchedInputException exception) {
        Class<?> target = exception.getTargetType();
        if (target == null) {
            return "a value of another type";
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(target)) {
            return "a number";
        }
        return "a " + target.getSimpleName();
    }
}
