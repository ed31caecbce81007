package io.sluice.gateway.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.credential.BearerToken;
import io.sluice.contracts.credential.ServiceTokenConfig;
import io.vertx.core.http.RequestOptions;

/**
 * The service token the gateway presents on every call to another Sluice service, as
 * {@code Authorization: Bearer <token>}: the REST clients take it as their headers factory, the Vert.x clients with
 * {@link #putOn}. A sender always sends the current token ({@code sluice.service.token}); the receivers also accept
 * the previous and the next one, so a rotation rolled out pod by pod never fails a call (see
 * {@link ServiceTokenConfig}). Nothing of the client's own request is passed on.
 */
@ApplicationScoped
public class ServiceCredential implements ClientHeadersFactory {
    /** The header value, or null when no token is configured. */
    private final String authorization;

    public ServiceCredential(ServiceTokenConfig config) {
        this.authorization = config.token().map(String::strip).filter(token -> !token.isEmpty())
                .map(BearerToken::header).orElse(null);
    }

    void warnWhenMissing(@Observes StartupEvent event) {
        if (authorization == null) {
            Log.warn("sluice.service.token (SLUICE_SERVICE_TOKEN) is not set: quota-service, telemetry-service and the "
                    + "orchestrator refuse every call of the gateway with 401");
        }
    }

    /** Adds the credential to a request of a Vert.x HTTP client. */
    public RequestOptions putOn(RequestOptions options) {
        if (authorization != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        return options;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
            MultivaluedMap<String, String> clientOutgoingHeaders) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (authorization != null) {
            headers.putSingle(HttpHeaders.AUTHORIZATION, authorization);
        }
        return headers;
    }
}
