package io.sluice.gateway.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;
import io.vertx.mutiny.redis.client.Response;

/**
 * Decides per request, in one Redis round trip, whether a tenant is within its requests-per-minute quota.
 * Redis failures fail open (the request is admitted and counted as degraded) so a cache outage never becomes an
 * inference outage.
 */
// Started eagerly so that its metric series exist (at zero) from boot, before the first event.
@Startup
@ApplicationScoped
public class RequestRateLimiter {
    static final String KEY_PREFIX = "sluice:rl:";
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

    private final ReactiveRedisDataSource redis;
    private final String script;
    private final String scriptSha;
    private final Counter degraded;

    public RequestRateLimiter(ReactiveRedisDataSource redis, MeterRegistry registry) {
        this.redis = redis;
        this.script = loadScript("/redis/request-window.lua");
        this.scriptSha = sha1Hex(script);
        this.degraded = Counter.builder("sluice_quota_degraded_decisions_total")
                .description("Quota decisions taken without Redis (fail-open)")
                .register(registry);
    }

    /** Redis key prefix of the tenant's per-minute window; the braces are the Redis Cluster hash tag. */
    static String minuteWindowKey(String tenantId) {
        return KEY_PREFIX + "{" + tenantId + "}:rpm";
    }

    public Uni<RateDecision> consume(KeyGrant grant) {
        long limit = grant.limits().requestsPerMinute();
        String key = minuteWindowKey(grant.tenantId());
        return redis.execute("EVALSHA", scriptSha, "1", key, Long.toString(limit))
                .onFailure(err -> String.valueOf(err.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("EVAL", script, "1", key, Long.toString(limit)))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(reply -> decision(reply, limit))
                .onFailure().recoverWithItem(err -> {
                    degraded.increment();
                    Log.warnf("quota decision without Redis (fail-open): %s", err.toString());
                    return RateDecision.degradedAdmit(limit);
                });
    }

    private static RateDecision decision(Response reply, long limit) {
        boolean admitted = reply.get(0).toLong() == 1L;
        long count = reply.get(1).toLong();
        long reset = reply.get(2).toLong();
        return new RateDecision(admitted, limit, Math.max(0, limit - count), reset, false);
    }

    private static String loadScript(String resource) {
        try (InputStream in = RequestRateLimiter.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
