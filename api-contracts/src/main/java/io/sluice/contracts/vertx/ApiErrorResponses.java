package io.sluice.contracts.vertx;

import io.sluice.contracts.ApiError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/** Writes {@link ApiError} on a raw Vert.x response, for the proxy routes that bypass JAX-RS. */
public final class ApiErrorResponses {
    private ApiErrorResponses() {
    }

    public static void send(HttpServerResponse response, int status, ApiError error) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // Too late for a status code: the proxied stream already started. Callers end streams themselves.
            response.end();
            return;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(Json.encode(error));
    }
}
