package io.sluice.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.KeyGrant;
import io.sluice.gateway.client.QuotaServiceClient;
import io.sluice.gateway.config.AuthConfig;

/**
 * Turns a presented API key into its {@link KeyGrant}. Keys are hashed before anything else happens, so the
 * plaintext is never stored, logged or sent on; grants are cached in-process by hash.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {
    private final QuotaServiceClient quotaService;
    private final Clock clock;
    private final AsyncCache<String, Optional<KeyGrant>> grants;
    /** The last grant quota-service confirmed for each key, served only while quota-service cannot answer. */
    private final Cache<String, KeyGrant> lastConfirmed;

    public ApiKeyAuthenticator(@RestClient QuotaServiceClient quotaService, AuthConfig config, Clock clock) {
        this.quotaService = quotaService;
        this.clock = clock;
        this.grants = Caffeine.newBuilder()
                .maximumSize(config.cacheMaxSize())
                .expireAfter(Expiry.<String, Optional<KeyGrant>>creating((hash, grant) -> grant.isPresent()
                        ? config.cacheTtl() : config.negativeCacheTtl()))
                .buildAsync();
        this.lastConfirmed = Caffeine.newBuilder()
                .maximumSize(config.cacheMaxSize())
                .expireAfterWrite(config.staleIfError())
                .build();
    }

    public Uni<KeyGrant> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Uni.createFrom().failure(ApiException.unauthorized(
                    "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."));
        }
        String hash = sha256Hex(presentedKey.strip());
        CompletableFuture<Optional<KeyGrant>> cached = grants.get(hash,
                (key, executor) -> lookup(key).subscribeAsCompletionStage());
        return Uni.createFrom().completionStage(cached)
                .map(grant -> grant
                        // A rotated key's grace period may end while its grant is cached.
                        .filter(usable -> !usable.expiredAt(clock.instant()))
                        .orElseThrow(() -> ApiException.unauthorized(
                                "Incorrect API key provided. The key is unknown, revoked or expired.")));
    }

    /** The key from {@code Authorization: Bearer <key>}, else from {@code x-api-key} (Anthropic's header). */
    public static String presentedKey(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return apiKeyHeader;
    }

    private Uni<Optional<KeyGrant>> lookup(String hash) {
        return quotaService.lookup(hash)
                .invoke(grant -> lastConfirmed.put(hash, grant))
                .map(Optional::of)
                .onFailure(ApiKeyAuthenticator::isNotFound).recoverWithItem(Optional.empty())
                .onFailure(err -> !(err instanceof ApiException)).recoverWithUni(err -> {
                    KeyGrant confirmed = lastConfirmed.getIfPresent(hash);
                    if (confirmed != null) {
                        Log.warnf("key lookup at quota-service failed (%s); serving the last confirmed grant",
                                err.toString());
                        return Uni.createFrom().item(Optional.of(confirmed));
                    }
                    Log.warnf("key lookup at quota-service failed: %s", err.toString());
                    return Uni.createFrom().failure(new ApiException(503, ApiError.of("server_error",
                            "auth_unavailable", "The key could not be verified right now; retry shortly.")));
                });
    }

    /** Drops the cached grant of one key (revoked, rotated or changed). */
    public void invalidateKey(String sha256Hex) {
        grants.synchronous().invalidate(sha256Hex);
        lastConfirmed.invalidate(sha256Hex);
    }

    /** Drops every cached grant of a tenant (plan, overrides or budgets changed). */
    public void invalidateTenant(String tenantId) {
        grants.synchronous().asMap().entrySet().removeIf(entry -> entry.getValue()
                .map(grant -> tenantId.equals(grant.tenantId())).orElse(false));
        lastConfirmed.asMap().values().removeIf(grant -> tenantId.equals(grant.tenantId()));
    }

    /** Drops every cached grant: after missing invalidations, e.g. while Redis was unreachable. */
    public void invalidateAll() {
        grants.synchronous().invalidateAll();
        lastConfirmed.invalidateAll();
    }

    private static boolean isNotFound(Throwable err) {
        return err instanceof WebApplicationException wae && wae.getResponse().getStatus() == 404;
    }

    static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JVM specification", e);
        }
    }
}
