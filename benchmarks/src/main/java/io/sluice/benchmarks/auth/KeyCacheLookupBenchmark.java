package io.sluice.benchmarks.auth;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiKeys;
import io.sluice.contracts.KeyGrant;
import io.sluice.gateway.client.QuotaServiceClient;
import io.sluice.gateway.config.AuthConfig;
import io.sluice.gateway.service.ApiKeyAuthenticator;

/**
 * The gateway's per-request key check on a cache hit: the real {@link ApiKeyAuthenticator} (SHA-256 of the
 * presented key, Caffeine async-cache lookup, expiry check, Mutiny {@code Uni}), built outside Quarkus with its
 * quota-service client and configuration as plain proxies. Every key is cached in the setup, so quota-service is
 * never asked during measurement. The baselines split the cost: the hash alone, and the cache lookup alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class KeyCacheLookupBenchmark {
    /** As many distinct keys as a busy replica might see within one cache TTL. */
    private static final int KEYS = 10_000;

    private ApiKeyAuthenticator authenticator;
    private AsyncCache<String, Optional<KeyGrant>> cacheOnly;
    private String[] keys;
    private String[] hashes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        KeyGrant grant = new KeyGrant("key-1", "tenant-1", "bench", "ENTERPRISE", null, null, null, List.of(), null);
        QuotaServiceClient quotaService = (QuotaServiceClient) Proxy.newProxyInstance(
                QuotaServiceClient.class.getClassLoader(), new Class<?>[] {QuotaServiceClient.class},
                (proxy, method, args) -> method.getName().equals("lookup") ? Uni.createFrom().item(grant)
                        : method.invoke(this, args));
        AuthConfig config = (AuthConfig) Proxy.newProxyInstance(AuthConfig.class.getClassLoader(),
                new Class<?>[] {AuthConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "cacheTtl" -> Duration.ofSeconds(30);
                    case "negativeCacheTtl" -> Duration.ofSeconds(5);
                    case "cacheMaxSize" -> 100_000L;
                    case "staleIfError" -> Duration.ofMinutes(10);
                    case "maxConcurrentLookups" -> 64;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        authenticator = new ApiKeyAuthenticator(quotaService, config, Clock.systemUTC());
        cacheOnly = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(30)).buildAsync();
        keys = new String[KEYS];
        hashes = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            // Of the minted form (32 bytes, base64url), as the authenticator refuses any other before its cache.
            keys[i] = ApiKeys.PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(sha256(("bench-" + i).getBytes(StandardCharsets.UTF_8)));
            hashes[i] = HexFormat.of().formatHex(sha256(keys[i].getBytes(StandardCharsets.UTF_8)));
            authenticator.authenticate(keys[i]).await().indefinitely(); // cached from here on
            cacheOnly.put(hashes[i], CompletableFuture.completedFuture(Optional.of(grant)));
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == KEYS ? 0 : i + 1;
        return i;
    }

    /** What every request pays: hash, cache hit, expiry check, the grant as a resolved Uni. */
    @Benchmark
    public KeyGrant authenticateCached() {
        return authenticator.authenticate(keys[nextIndex()]).await().indefinitely();
    }

    /** Baseline: SHA-256 of the key and its hex form, as the authenticator computes it. */
    @Benchmark
    public String sha256HexOnly() {
        return HexFormat.of().formatHex(sha256(keys[nextIndex()].getBytes(StandardCharsets.UTF_8)));
    }

    /** Baseline: the Caffeine async-cache hit alone, by precomputed hash. */
    @Benchmark
    public Optional<KeyGrant> cacheHitOnly() {
        return cacheOnly.getIfPresent(hashes[nextIndex()]).join();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
