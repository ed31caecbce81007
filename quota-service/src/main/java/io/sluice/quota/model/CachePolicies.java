package io.sluice.quota.model;

import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;
import io.sluice.contracts.KeyGrant.CachePolicy;
import io.sluice.quota.entity.CacheSettings;

/**
 * Resolves the response-cache policy the gateway applies to a key: each field from the key's own setting, else the
 * tenant's, else the default; the TTL capped by the plan; the byte budget the plan's.
 */
public final class CachePolicies {
    /** What a tenant that set nothing gets: the cache off; switched on, an hour per entry, shared by its keys. */
    public static final CacheSettings DEFAULTS = new CacheSettings(CacheMode.OFF, 3_600L, CacheNamespaces.TENANT);

    private CachePolicies() {
    }

    /** The policy of a key with settings {@code own} of a tenant with settings {@code tenant} on a plan with caps. */
    public static CachePolicy forKey(CacheSettings own, CacheSettings tenant, CacheCaps caps) {
        CacheSettings resolved = own.orElse(tenant).orElse(DEFAULTS);
        // A plan without a byte budget cannot store an answer: the cache is off for its tenants whatever they set.
        CacheMode mode = caps.maxBytes() == 0 ? CacheMode.OFF : resolved.mode();
        return new CachePolicy(mode, Math.min(resolved.ttlSeconds(), caps.maxTtlSeconds()), resolved.namespaces(),
                caps.maxBytes());
    }

    /** The policy of the tenant's keys that set nothing themselves. */
    public static CachePolicy forTenant(CacheSettings tenant, CacheCaps caps) {
        return forKey(CacheSettings.NONE, tenant, caps);
    }
}
