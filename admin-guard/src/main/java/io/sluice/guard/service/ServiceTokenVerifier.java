package io.sluice.guard.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.credential.BearerToken;
import io.sluice.contracts.credential.ServiceTokenConfig;
import io.sluice.guard.AcceptedTokens;
import io.sluice.guard.Unauthorized;

/**
 * Checks the service credential of an internal call: the current token, or during a rotation the previous or the
 * next one (see {@link ServiceTokenConfig}), each compared in constant time. Application-scoped (a lazy proxy)
 * because REST filters are built before runtime configuration is available.
 */
@ApplicationScoped
public class ServiceTokenVerifier {
    static final Unauthorized REFUSED = new Unauthorized("sluice-service", ApiError.of("authentication_error",
            "invalid_service_token", "Missing or invalid service credential: internal endpoints answer only the "
                    + "Sluice services ('Authorization: Bearer <service token>')."));

    private final AcceptedTokens tokens;

    public ServiceTokenVerifier(ServiceTokenConfig config) {
        this.tokens = new AcceptedTokens(List.of(config.token(), config.previousToken(), config.nextToken()));
    }

    void warnAboutWeakConfiguration(@Observes StartupEvent event) {
        tokens.warnIfWeak("sluice.service.token (SLUICE_SERVICE_TOKEN)", "every internal call is");
    }

    /** Whether an Authorization header value carries an accepted service token. */
    public boolean accepts(String authorization) {
        return tokens.accepts(BearerToken.of(authorization));
    }
}
