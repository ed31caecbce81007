package io.sluice.gateway.cache;

import java.time.Duration;
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
import io.sluice.gateway.quota.CostEstimator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The exact response cache, as the inference pipeline uses it: decides per request whether the cache takes part
 * (the key's policy, the request's {@code Cache-Control} and namespace), looks the answer up with a timeout of its
 * own (a slow or unreachable Redis is a miss, never an error), and stores complete, successful answers only.
 */
@ApplicationScoped
public class ResponseCache {
    public static final String NAMESPACE_HEADER = "x-sluice-cache-namespace";
    /** Tells the client what the cache did: {@link CacheOutcome#header()}. */
    public static final String OUTCOME_HEADER = "x-sluice-cache";
    /** Chat answers that ended as the model meant to: neither filtered nor cut by the gateway's own cap. */
    private static final Set<String> COMPLETE = Set.of("stop", "tool_calls", "function_call", "length");

    private final ResponseCacheStore store;
    private final CacheMetrics metrics;
    private final CostEstimator costs;
    private final Duration lookupTimeout;
    private final int maxEntryBytes;

    public ResponseCache(ResponseCacheStore store, CacheMetrics metrics, CostEstimator costs, CacheConfig config) {
        this.store = store;
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
        KeyGrant.CachePolicy policy = grant.cache();
        if (policy == null || !policy.enabled()) {
            return Optional.empty();
        }
        CacheDirectives directives = CacheDirectives.parse(cacheControl);
        String namespace = namespace(policy, namespaceHeader);
        String scope = policy.namespaces() == KeyGrant.CacheNamespaces.KEY ? grant.keyId() : CacheKeys.SHARED_SCOPE;
        String member = CacheKeys.member(namespace, scope, CanonicalRequest.sha256(endpointPath, forwardedBody));
        return Optional.of(new CacheRequest(grant.tenantId(), member, directives, policy, chat, sluiceCapped));
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
     * What is stored for the request, young enough for its {@code max-age}; empty on a miss, and when the lookup
     * failed or took longer than the lookup timeout.
     */
    public Uni<Optional<ResponseCacheStore.Hit>> lookup(CacheRequest request) {
        Long maxAge = request.directives().maxAgeSeconds();
        long started = System.nanoTime();
        return store.read(request.tenantId(), request.member(), maxAge == null ? -1 : maxAge * 1_000)
                .ifNoItem().after(lookupTimeout).fail()
                .onItemOrFailure().transform((found, failure) -> {
                    metrics.lookupTook(System.nanoTime() - started);
                    if (failure != null) {
                        Log.debugf("cache lookup failed, answered as a miss: %s", failure.toString());
                        metrics.lookupFailed();
                        return Optional.<ResponseCacheStore.Hit>empty();
                    }
                    return found;
                });
    }

    public void outcome(CacheOutcome outcome) {
        metrics.outcome(outcome);
    }

    /**
     * Offers a finished answer to the cache: stored when it is complete and successful, in the background (the
     * client's answer does not wait for it); a failure to store is logged, never the client's.
     *
     * @param answer the OpenAI-format whole answer, or for a stream its OpenAI events; null when it was not kept
     *        (larger than the entry limit)
     */
    public void offer(CacheRequest request, Buffer answer, boolean streamed, String servedModel, String provider,
            String deployment) {
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
        store.write(request.tenantId(), request.member(), stored, cost, request.policy().ttlSeconds() * 1_000,
                        request.policy().maxBytes())
                .subscribe().with(evicted -> {
                    metrics.stored(evicted < 0 ? "over_budget" : "stored");
                    metrics.evicted(Math.max(0, evicted));
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
