package io.sluice.gateway.cache;

import io.sluice.contracts.KeyGrant;
import io.sluice.gateway.cache.semantic.SemanticLookup;
import io.sluice.gateway.cache.semantic.SemanticRequest;

/**
 * A request of a key with the response cache on, as the cache sees it.
 *
 * @param member the entry's member in the tenant's cache ({@link io.sluice.contracts.cache.CacheKeys#member})
 * @param sluiceCapped whether the gateway capped the answer's length (the request set no limit): an answer cut by
 *        that cap is not stored, since it is shorter than the request asked for
 * @param namespace the namespace and {@code scope} (shared, or a key's) its entries live in
 * @param semantic the question and context of a request the semantic mode may match; null in exact mode and for
 *        requests it cannot match (see {@link SemanticRequest#of})
 */
public record CacheRequest(String tenantId, String member, CacheDirectives directives, KeyGrant.CachePolicy policy,
        boolean chat, boolean sluiceCapped, String namespace, String scope, SemanticRequest semantic) {

    /** Where a semantic request's question is compared with stored ones. */
    public String partition() {
        return SemanticLookup.partition(namespace, scope, semantic.contextSha256());
    }

    /** The kind of lookup the request gets, for metrics. */
    public String kind() {
        return semantic != null ? CacheLookup.SEMANTIC : CacheLookup.EXACT;
    }

    /** What happens before the call: read (and maybe hit), or go straight to the provider. */
    public CacheOutcome withoutLookup() {
        return directives.noStore() ? CacheOutcome.BYPASS : CacheOutcome.REFRESH;
    }

    public boolean mayWrite() {
        return !directives.noStore();
    }
}
