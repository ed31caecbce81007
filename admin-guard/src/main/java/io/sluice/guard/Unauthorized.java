package io.sluice.guard;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.vertx.core.http.HttpServerResponse;

/** The 401 a guard answers when a credential is missing or wrong: OpenAI's error format and a Bearer challenge. */
public record Unauthorized(String realm, ApiError error) {

    /** For JAX-RS request filters. */
    public Response response() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error)
                .build();
    }

    /** For raw Vert.x routes. */
    public void send(HttpServerResponse response) {
        response.putHeader(HttpHeaders.WWW_AUTHENTICATE, challenge());
        ApiErrorResponses.send(response, 401, error);
    }

    private String challenge() {
        return "Bearer realm=\"" + realm + "\"";
    }
}
