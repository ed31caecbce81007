package io.sluice.adminguard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;


/**
 * Checks a presented admin token against {@code sluice.admin.token} in constant time. Application-scoped (a lazy
 * proxy) because REST filters are built before runtime configuration is available.
 */
@ApplicationScoped
public class AdminTokenVerifier {
    private static final int RECOMMENDED_MIN_LENGTH = 32;

    /** Digest of the configured token, or null when none is configured and every call must be refused. */
    private final byte[] expectedDigest;
    private final int configuredLength;

    public AdminTokenVerifier(AdminConfig config) {
        String token = config.token().map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
        this.expectedDigest = token == null ? null : sha256(token);
        this.configuredLength = token == null ? 0 : token.length();
    }

    void warnAboutWeakConfiguration(@Observes StartupEvent event) {
        if (expectedDigest == null) {
            Log.warn("sluice.admin.token (SLUICE_ADMIN_TOKEN) is not set: every /admin call is refused with 401");
        } else if (configuredLength < RECOMMENDED_MIN_LENGTH) {
            Log.warnf("sluice.admin.token is shorter than %d characters; use a long random value",
                    RECOMMENDED_MIN_LENGTH);
        }
    }

    public boolean accepts(String presented) {
        if (expectedDigest == null || presented == null) {
            return false;
        }
        // Comparing fixed-length digests keeps the time independent of both the content and the length of the
        // configured token (MessageDigest.isEqual alone is constant-time only for equal lengths).
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
