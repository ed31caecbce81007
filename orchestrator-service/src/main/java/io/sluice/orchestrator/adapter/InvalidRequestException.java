package io.sluice.orchestrator.adapter;

import io.sluice.contracts.ApiError;

/**
 * A client request an adapter cannot translate: a field of the wrong type or value, named by {@code param} (for
 * example {@code messages[2].content[0]} or {@code tools[1].function.name}). The client's fault, answered with 400
 * and never counted against the deployment; the message never repeats the offending value.
 */
public class InvalidRequestException extends RuntimeException {
    private final transient ApiError error;

    public InvalidRequestException(String code, String param, String message) {
        super(message, null, false, false);
        this.error = ApiError.invalidRequest(code, param, message);
    }

    public ApiError error() {
        return error;
    }
}
