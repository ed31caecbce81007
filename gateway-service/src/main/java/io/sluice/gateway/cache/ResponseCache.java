package io.sluice.gateway.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.cache.key.CanonicalRequest;
import io.sluice.gateway.cache.semantic.SemanticCacheConfig;
import io.sluice.gateway.cache.semantic.SemanticLookup;
import io.sluice.gateway.cache.semantic.SemanticRequest;
import io.sluice.gateway.quota.CostEstimator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The response cache, as the inference pipeline uses it: decides per request whether the cache takes part (the
 * key's policy, the request's {@code Cache-Control} and namespace), looks the answer up with a timeout of its own
 * (a slow or unreachable Redis is a miss, never an error), exactly and, in semantic mode, by a rephrased last
 * question, and stores complete, successful answers only.
 */
@ApplicationScoped
public class ResponseCache {
    public static final String NAMESPACE_HEADER = "x-sluice-cache-namespace";
    /** Tells the client what the cache did: {@link CacheOutcome#header()}. */
    public static final String OUTCOME_HEADER = "x-sluice-cache";
    /** Chat answers that ended as the model meant to: neither filtered nor cut by the gateway's own cap. */
    private static final Set<String> COMPLETE = Set.of("stop", "tool_calls", "function_call", "length");

    private final ResponseCacheStore store;
    private final StoredEntries storedEntries;
    private final MissCounts missCounts;
    private final SemanticLookup semantic;
    private final CacheMetrics metrics;
    private final CostEstimator costs;
    private final Duration lookupTimeout;
    private final Duration semanticTimeout;
    private final int maxEntryBytes;

    public ResponseCache(ResponseCacheStore store, StoredEntries storedEntries, MissCounts missCounts,
            SemanticLookup semantic, CacheMetrics metrics, CostEstimator costs, CacheConfig config,
            SemanticCacheConfig semanticConfig) {
        this.store = store;
        this.storedEntries = storedEntries;
        this.missCounts = missCounts;
        this.semantic = semantic;
        this.semanticTimeout = config.lookupTimeout().plus(semanticConfig.embedTimeout());
        this.metrics = metrics;
        this.costs = costs;
        this.lookupTimeout = config.lookupTimeout();
        this.maxEntryBytes = config.maxEntryBytes();
    }

    /** Largest answer held for the cache while it is relayed. */
    public int maxEntryBytes() {
        return maxEntryBytes;
    }

    /**
     * The request as the cache sees it; empty when the key's cache is off. Refuses (400) a malformed
     * {@code Cache-Control}, and a namespace that is not a valid name or that the key's policy does not allow.
     *
     * @param endpointPath the public path: answers of different routes are kept apart
     */
    public Optional<CacheRequest> prepare(KeyGrant grant, String endpointPath, Buffer forwardedBody, boolean chat,
            boolean sluiceCapped, String cacheControl, String namespaceHeader) {
        return prepare(grant, endpointPath, forwardedBody.toJsonObject(), chat, sluiceCapped, cacheControl,
                namespaceHeader);
    }

    /** As {@link #prepare(KeyGrant, String, Buffer, boolean, boolean, String, String)}, of a body already parsed. */
    public Optional<CacheRequest> prepare(KeyGrant grant, String endpointPath, JsonObject body, boolean chat,
            boolean sluiceCapped, String cacheControl, String namespaceHeader) {
        KeyGrant.CachePolicy policy = grant.cache();
        if (policy == null || !policy.enabled()) {
            return Optional.empty();
        }
        CacheDirectives directives = CacheDirectives.parse(cacheControl);
        String namespace = namespace(policy, namespaceHeader);
        String scope = policy.namespaces() == KeyGrant.CacheNamespaces.KEY ? grant.keyId() : CacheKeys.SHARED_SCOPE;
        String member = CacheKeys.member(namespace, scope, CanonicalRequest.sha256(endpointPath, body));
        SemanticRequest question = policy.mode() == KeyGrant.CacheMode.SEMANTIC && chat
                ? SemanticRequest.of(endpointPath, body).orElse(null) : null;
        return Optional.of(new CacheRequest(grant.tenantId(), member, directives, policy, chat, sluiceCapped,
                namespace, scope, question));
    }

    private static String namespace(KeyGrant.CachePolicy policy, String header) {
        if (header == null) {
            return CacheKeys.DEFAULT_NAMESPACE;
        }
        if (policy.namespaces() == KeyGrant.CacheNamespaces.NONE) {
            throw new ApiException(400, ApiError.invalidRequest("cache_namespace_not_allowed", NAMESPACE_HEADER,
                    "This API key's cache does not allow namespaces."));
        }
        if (!CacheKeys.isValidNamespace(header)) {
            throw new ApiException(400, ApiError.invalidRequest("invalid_cache_namespace", NAMESPACE_HEADER,
                    "A cache namespace is 1 to 64 of the characters A-Z, a-z, 0-9, '.', '_' and '-'."));
        }
        return header;
    }

    /**
     * What is stored for the request, young enough for its {@code max-age}: the exact entry, else (semantic mode) the
     * entry of a stored question the asked one rephrases. A miss when there is none, and when the lookup failed or
     * took longer than its timeout (the lookup timeout; for the semantic part, plus the embedding's). An exact lookup
     * of an entry the presence filter knows is absent is a miss without reading Redis (counted in the tenant's
     * figures within a second).
     */
    public Uni<CacheLookup> lookup(CacheRequest request) {
        long started = System.nanoTime();
        boolean semanticToo = request.semantic() != null;
        if (!semanticToo && storedEntries.certainlyAbsent(request.tenantId(), request.member())) {
            missCounts.count(request.tenantId());
            metrics.missWithoutRedis();
            metrics.lookupTook(CacheLookup.EXACT, System.nanoTime() - started);
            return Uni.createFrom().item(CacheLookup.miss(CacheLookup.EXACT));
        }
        Uni<CacheLookup> exact = store.read(request.tenantId(), request.member(), maxAgeMillis(request), !semanticToo)
                .ifNoItem().after(lookupTimeout).fail()
                .map(found -> found.map(hit -> new CacheLookup(hit, CacheLookup.EXACT, null))
                        .orElse(CacheLookup.miss(CacheLookup.EXACT)));
        Uni<CacheLookup> lookup = !semanticToo ? exact : exact.flatMap(first -> first.hit() != null
                ? Uni.createFrom().item(first)
                : semanticLookup(request).ifNoItem().after(semanticTimeout).fail());
        return lookup.onItemOrFailure().transform((found, failure) -> {
            metrics.lookupTook(request.kind(), System.nanoTime() - started);
            if (failure != null) {
                Log.debugf("cache lookup failed, answered as a miss: %s", failure.toString());
                metrics.lookupFailed(request.kind());
                return CacheLookup.miss(request.kind());
            }
            return found;
        });
    }

    /** The nearest stored questions the asked one rephrases, best first, until one whose entry is still there. */
    private Uni<CacheLookup> semanticLookup(CacheRequest request) {
        return semantic.find(request.tenantId(), request.partition(), request.semantic().question())
                .flatMap(match -> firstStored(request, match.members(), 0)
                        .map(hit -> new CacheLookup(hit, CacheLookup.SEMANTIC, match.asked())))
                .invoke(lookup -> {
                    if (lookup.hit() == null) {
                        store.countMiss(request.tenantId());
                    }
                });
    }

    private Uni<ResponseCacheStore.Hit> firstStored(CacheRequest request, List<String> members, int next) {
        if (next >= members.size()) {
            return Uni.createFrom().nullItem();
        }
        String member = members.get(next);
        return store.read(request.tenantId(), member, maxAgeMillis(request), false).flatMap(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            semantic.forget(request.tenantId(), member);
            return firstStored(request, members, next + 1);
        });
    }

    private static long maxAgeMillis(CacheRequest request) {
        Long maxAge = request.directives().maxAgeSeconds();
        return maxAge == null ? -1 : maxAge * 1_000;
    }

    /** Counts what the cache did for a request, once. */
    public void outcome(CacheRequest request, CacheOutcome outcome, CacheLookup lookup) {
        metrics.outcome(lookup != null ? lookup.kind() : request.kind(), outcome);
    }

    /**
     * Offers a finished answer to the cache: stored when it is complete and successful, in the background (the
     * client's answer does not wait for it); a failure to store is logged, never the client's.
     *
     * @param answer the OpenAI-format whole answer, or for a stream its OpenAI events; null when it was not kept
     *        (larger than the entry limit)
     * @param lookup what the request's lookup found (its question's embedding is reused); null when none was made
     */
    public void offer(CacheRequest request, CacheLookup lookup, Buffer answer, boolean streamed, String servedModel,
            String provider, String deployment) {
        if (!request.mayWrite()) {
            return;
        }
        Optional<JsonObject> whole = answer == null ? Optional.empty() : whole(answer, streamed);
        if (whole.isEmpty() || !complete(whole.get(), request)) {
            metrics.stored(answer == null ? "too_large" : "not_cacheable");
            return;
        }
        String body = streamed ? whole.get().encode() : answer.toString();
        TokenUsage tokens = TokenUsage.ofAnswer(whole.get());
        StoredAnswer stored = new StoredAnswer(body, servedModel, provider, deployment, tokens);
        long cost = servedModel == null ? 0
                : costs.microUsd(servedModel, tokens.prompt(), tokens.cached(), tokens.completion());
        // Known before the write is sent, not once it is answered: a lookup of this replica in between would
        // otherwise be a certain miss for an answer Redis already holds. If the write fails, a lookup reads Redis.
        storedEntries.stored(request.tenantId(), request.member());
        store.write(request.tenantId(), request.member(), stored, cost, request.policy().ttlSeconds() * 1_000,
                        request.policy().maxBytes())
                .subscribe().with(evicted -> {
                    metrics.stored(evicted < 0 ? "over_budget" : "stored");
                    metrics.evicted(Math.max(0, evicted));
                    if (evicted >= 0 && request.semantic() != null) {
                        semantic.remember(request.tenantId(), request.member(), request.partition(),
                                request.semantic().question(), lookup == null ? null : lookup.asked());
                    }
                }, failure -> {
                    metrics.stored("error");
                    Log.debugf("cache store failed: %s", failure.toString());
                });
    }

    private static Optional<JsonObject> whole(Buffer answer, boolean streamed) {
        if (streamed) {
            return ChatCompletionStream.assemble(answer);
        }
        try {
            return Optional.of(answer.toJsonObject());
        } catch (RuntimeException notAnObject) {
            return Optional.empty();
        }
    }

    private static boolean complete(JsonObject whole, CacheRequest request) {
        if (!request.chat()) {
            return whole.getValue("data") instanceof JsonArray;
        }
        if (!(whole.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()) {
            return false;
        }
        for (int i = 0; i < choices.size(); i++) {
            Object reason = choices.getJsonObject(i).getValue("finish_reason");
            if (!(reason instanceof String finished) || !COMPLETE.contains(finished)
                    || ("length".equals(finished) && request.sluiceCapped())) {
                return false;
            }
        }
        return true;
    }

    /** Deletes the tenant's cached answers, or one namespace's, for the tenant itself. */
    public Uni<Long> clear(String tenantId, String namespaceOrNull) {
        return store.clear(tenantId, namespaceOrNull);
    }
}
