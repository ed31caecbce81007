package io.sluice.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;
import io.sluice.contracts.KeyGrant.CachePolicy;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.cache.semantic.SemanticSettings;
import io.vertx.core.buffer.Buffer;

/** The cache as the pipeline uses it: who takes part, and that a slow or failing Redis is a miss, never an error. */
class ResponseCacheTest {
    private static final Buffer BODY = Buffer.buffer(
            "{\"model\":\"sim-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aLookupThatNeverAnswersIsAMissAfterTheLookupTimeout() {
        ResponseCache cache = cache(new StoreThatAnswers(Uni.createFrom().nothing()));
        CacheRequest request = cache.prepare(grant(CacheNamespaces.TENANT), "/v1/chat/completions", BODY, true,
                false, null, null).orElseThrow();

        assertEquals(CacheOutcome.MISS, cache.lookup(request).await().atMost(Duration.ofSeconds(5)).outcome());
        assertEquals(1.0, registry.get("sluice_cache_lookups_total").tag("kind", "exact").tag("result", "error")
                .counter().count());
    }

    @Test
    void aFailingLookupIsAMiss() {
        ResponseCache cache = cache(new StoreThatAnswers(Uni.createFrom().failure(
                new IllegalStateException("Redis down"))));
        CacheRequest request = cache.prepare(grant(CacheNamespaces.TENANT), "/v1/chat/completions", BODY, true,
                false, null, null).orElseThrow();

        assertEquals(CacheOutcome.MISS, cache.lookup(request).await().atMost(Duration.ofSeconds(5)).outcome());
    }

    @Test
    void keysWithoutTheCacheDoNotTakePartWhateverTheyAsk() {
        ResponseCache cache = cache(new StoreThatAnswers(Uni.createFrom().nothing()));
        KeyGrant off = new KeyGrant("k", "t", "t", "PRO", null, null, null, List.of(), null,
                new CachePolicy(CacheMode.OFF, 60, CacheNamespaces.TENANT, 1_000));
        assertTrue(cache.prepare(off, "/v1/chat/completions", BODY, true, false, "max-age=oops", "../x").isEmpty());
        KeyGrant none = new KeyGrant("k", "t", "t", "PRO", null, null, null, List.of(), null);
        assertTrue(cache.prepare(none, "/v1/chat/completions", BODY, true, false, "only-if-cached", null).isEmpty());
    }

    @Test
    void namespacesAreScopedByThePolicyAndValidated() {
        ResponseCache cache = cache(new StoreThatAnswers(Uni.createFrom().nothing()));
        String shared = cache.prepare(grant(CacheNamespaces.TENANT), "/v1/chat/completions", BODY, true, false,
                null, "team-a").orElseThrow().member();
        String perKey = cache.prepare(grant(CacheNamespaces.KEY), "/v1/chat/completions", BODY, true, false,
                null, null).orElseThrow().member();
        assertTrue(shared.startsWith("team-a/-/"), shared);
        assertTrue(perKey.startsWith("default/key-1/"), perKey);

        ApiException refused = assertThrows(ApiException.class, () -> cache.prepare(grant(CacheNamespaces.NONE),
                "/v1/chat/completions", BODY, true, false, null, "team-a"));
        assertEquals("x-sluice-cache-namespace", refused.error().error().param());
        for (String bad : new String[] { "", "a/b", "a b", "é", "x".repeat(65), "a\u0000" }) {
            ApiException invalid = assertThrows(ApiException.class, () -> cache.prepare(
                    grant(CacheNamespaces.TENANT), "/v1/chat/completions", BODY, true, false, null, bad), bad);
            assertEquals(400, invalid.status());
        }
    }

    private ResponseCache cache(ResponseCacheStore store) {
        CacheConfig config = new CacheConfig() {
            @Override
            public Duration lookupTimeout() {
                return Duration.ofMillis(50);
            }

            @Override
            public int maxEntryBytes() {
                return 1_000;
            }

            @Override
            public PresenceFilter presenceFilter() {
                return new PresenceFilter() {
                    @Override
                    public boolean enabled() {
                        return false;
                    }

                    @Override
                    public long bits() {
                        return 1 << 10;
                    }

                    @Override
                    public Duration rebuildInterval() {
                        return Duration.ofMinutes(5);
                    }

                    @Override
                    public long maxEntries() {
                        return 1_000;
                    }
                };
            }
        };
        CacheMetrics metrics = new CacheMetrics(registry);
        // Never started: the presence filter is not ready, and every lookup reads the store.
        return new ResponseCache(store, new StoredEntries(null, null, metrics, config), new MissCounts(null, null),
                null, metrics, null, config, SemanticSettings.DEFAULTS);
    }

    private static KeyGrant grant(CacheNamespaces namespaces) {
        return new KeyGrant("key-1", "tenant-1", "t", "PRO", null, null, null, List.of(), null,
                new CachePolicy(CacheMode.EXACT, 60, namespaces, 1_000_000));
    }

    /** A store whose reads answer as told, without Redis. */
    private static final class StoreThatAnswers extends ResponseCacheStore {
        private final Uni<Optional<Hit>> answer;

        StoreThatAnswers(Uni<Optional<Hit>> answer) {
            super(null);
            this.answer = answer;
        }

        @Override
        public Uni<Optional<Hit>> read(String tenantId, String member, long maxAgeMillis, boolean countMiss) {
            return answer;
        }
    }
}
