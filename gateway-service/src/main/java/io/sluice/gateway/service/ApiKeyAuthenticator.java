package io.sluice.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

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
import io.sluice.contracts.ApiKeys;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.client.QuotaServiceClient;
import io.sluice.gateway.config.AuthConfig;

/**
 * Turns a presented API key into its {@link KeyGrant}. A key not of the form quota-service mints is refused at
 * once, with no cache entry and no lookup; others are hashed before anything else happens, so the plaintext is never
 * stored, logged or sent on; grants are cached in-process by hash. At most {@code max-concurrent-lookups} lookups
 * are in flight at quota-service; beyond, a request is answered at once instead of queued.
 * <p>
 * Invalidations win over lookups in flight: each bumps a generation, and a lookup that began before it neither
 * stays cached nor becomes the last confirmed grant (served while quota-service is down), so a revoked key is never
 * served again from either.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {
    private final QuotaServiceClient quotaService;
    private final Clock clock;
    private final int maxLookups;
    private final AsyncCache<String, Optional<KeyGrant>> grants;
    /** The last grant quota-service confirmed for each key, served only while quota-service cannot answer. */
    private final Cache<String, KeyGrant> lastConfirmed;
    private final AtomicInteger lookupsInFlight = new AtomicInteger();
    /** Bumped by every invalidation. */
    private final AtomicLong generation = new AtomicLong();

    /** quota-service already has as many lookups in flight as this replica allows. */
    private static final class LookupsSaturated extends RuntimeException {
        LookupsSaturated() {
            super("too many key lookups in flight at quota-service", null, false, false);
        }
    }

    public ApiKeyAuthenticator(@RestClient QuotaServiceClient quotaService, AuthConfig config, Clock clock) {
        this.quotaService = quotaService;
        this.clock = clock;
        this.maxLookups = config.maxConcurrentLookups();
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
        String key = presentedKey.strip();
        if (!ApiKeys.isWellFormed(key)) {
            return Uni.createFrom().failure(unknownKey());
        }
        String hash = sha256Hex(key);
        CompletableFuture<Optional<KeyGrant>> cached = grants.get(hash, (k, executor) -> lookup(k)
                .subscribeAsCompletionStage());
        return Uni.createFrom().completionStage(cached)
                .map(grant -> grant
                        // A rotated key's grace period may end while its grant is cached.
                        .filter(usable -> !usable.expiredAt(clock.instant()))
                        .orElseThrow(ApiKeyAuthenticator::unknownKey));
    }

    /** The key from {@code Authorization: Bearer <key>}, else from {@code x-api-key} (Anthropic's header). */
    public static String presentedKey(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return apiKeyHeader;
    }

    private Uni<Optional<KeyGrant>> lookup(String hash) {
        long askedIn = generation.get();
        return Uni.createFrom().deferred(() -> {
            if (lookupsInFlight.incrementAndGet() > maxLookups) {
                lookupsInFlight.decrementAndGet();
                return Uni.createFrom().<KeyGrant>failure(new LookupsSaturated());
            }
            return quotaService.lookup(hash).onTermination().invoke(lookupsInFlight::decrementAndGet);
        })
                .invoke(grant -> {
                    // An invalidation since the question was sent may concern this grant: it must not outlive it.
                    if (generation.get() == askedIn) {
                        lastConfirmed.put(hash, grant);
                    }
                })
                .map(Optional::of)
                .onFailure(ApiKeyAuthenticator::isNotFound).invoke(() -> lastConfirmed.invalidate(hash))
                .onFailure(ApiKeyAuthenticator::isNotFound).recoverWithItem(Optional.empty())
                .onFailure(err -> !(err instanceof ApiException)).recoverWithUni(err -> {
                    KeyGrant confirmed = lastConfirmed.getIfPresent(hash);
                    if (confirmed != null) {
                        Log.warnf("key lookup at quota-service failed (%s); serving the last confirmed grant",
                                err.toString());
                        return Uni.createFrom().item(Optional.of(confirmed));
                    }
                    if (err instanceof LookupsSaturated) {
                        Log.debug("key lookup refused: too many lookups in flight at quota-service");
                    } else {
                        Log.warnf("key lookup at quota-service failed: %s", err.toString());
                    }
                    return Uni.createFrom().failure(new ApiException(503, ApiError.of("server_error",
                            "auth_unavailable", "The key could not be verified right now; retry shortly.")));
                });
    }

    /** Drops the cached grant of one key (revoked, rotated or changed). */
    public void invalidateKey(String sha256Hex) {
        generation.incrementAndGet();
        // Through the map of answers, so that a lookup still in flight goes too.
        grants.asMap().remove(sha256Hex);
        lastConfirmed.invalidate(sha256Hex);
    }

    /** Drops every cached grant of a tenant (plan, overrides or budgets changed). */
    public void invalidateTenant(String tenantId) {
        drop(grant -> tenantId.equals(grant.tenantId()));
    }

    /**
     * Drops every cached grant on a plan (its limits changed), in one scan whatever the number of its tenants, and
     * returns the tenants whose grants were dropped.
     */
    public Set<String> invalidatePlan(String plan) {
        return drop(grant -> plan.equals(grant.plan()));
    }

    /** Drops every cached grant: after missing invalidations, e.g. while Redis was unreachable. */
    public void invalidateAll() {
        generation.incrementAndGet();
        grants.synchronous().invalidateAll();
        lastConfirmed.invalidateAll();
    }

    /** Drops the grants {@code stale} selects, and every lookup in flight (its answer may predate the change). */
    private Set<String> drop(Predicate<KeyGrant> stale) {
        generation.incrementAndGet();
        Set<String> tenants = new HashSet<>();
        Predicate<KeyGrant> dropped = grant -> {
            if (stale.test(grant)) {
                tenants.add(grant.tenantId());
                return true;
            }
            return false;
        };
        grants.asMap().values().removeIf(answer -> !answer.isDone()
                || !answer.isCompletedExceptionally() && answer.join().map(dropped::test).orElse(false));
        lastConfirmed.asMap().values().removeIf(dropped);
        return tenants;
    }

    private static ApiException unknownKey() {
        return ApiException.unauthorized("Incorrect API key provided. The key is unknown, revoked or expired.");
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
