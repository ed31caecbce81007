package io.sluice.gateway.cache;

import io.sluice.contracts.KeyGrant;

/**
 * A request of a key with the response cache on, as the cache sees it.
 *
 * @param member the entry's member in the tenant's cache ({@link io.sluice.contracts.cache.CacheKeys#member})
 * @param sluiceCapped whether the gateway capped the answer's length (the request set no limit): an answer cut by
 *        that cap is not stored, since it is shorter than the request asked for
 */
public record CacheRequest(String tenantId, String member, CacheDirectives directives, KeyGrant.CachePolicy policy,
        boolean chat, boolean sluiceCapped) {

    /** What happens before the call: read (and maybe hit), or go straight to the provider. */
    public CacheOutcome withoutLookup() {
        return directives.noStore() ? CacheOutcome.BYPASS : CacheOutcome.REFRESH;
    }

    public boolean mayWrite() {
        return !directives.noStore();
    }
}
