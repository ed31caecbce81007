package io.sluice.contracts.rest;

import io.sluice.contracts.ApiError;

/** A failure with the HTTP status and OpenAI-format body the client must see. */
public class ApiException extends RuntimeException {
    private final int status;
    private final transient ApiError error;

    public ApiException(int status, ApiError error) {
        super(error.error().message(), null, false, false);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    public static ApiException badRequest(String code, String param, String message) {
        return new ApiException(400, ApiError.invalidRequest(code, param, message));
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, ApiError.authentication(message));
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ApiError.notFound(message));
    }
}
