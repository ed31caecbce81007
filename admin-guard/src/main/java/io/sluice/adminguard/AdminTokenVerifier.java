package io.sluice.adminguard;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.sluice.guard.AcceptedTokens;

/**
 * Checks a presented admin token against {@code sluice.admin.token} in constant time. Application-scoped (a lazy
 * proxy) because REST filters are built before runtime configuration is available.
 */
@ApplicationScoped
public class AdminTokenVerifier {
    private final AcceptedTokens tokens;

    public AdminTokenVerifier(AdminConfig config) {
        this.tokens = new AcceptedTokens(List.of(config.token()));
    }

    void warnAboutWeakConfiguration(@Observes StartupEvent event) {
        tokens.warnIfWeak("sluice.admin.token (SLUICE_ADMIN_TOKEN)", "every /admin call is");
    }

    public boolean accepts(String presented) {
        return tokens.accepts(presented);
    }
}
