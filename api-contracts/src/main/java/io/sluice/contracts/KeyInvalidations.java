package io.sluice.contracts;

/**
 * Redis pub/sub channel on which quota-service announces that cached key grants are stale, so that every gateway
 * replica drops them within moments instead of waiting for its cache TTL. A message is {@code key:<sha256>} (one
 * key revoked, rotated or changed), {@code tenant:<tenant-id>} (a tenant's plan, overrides or budgets, or its counters
 * reset) or {@code plan:<name>} (a plan's limits, which every tenant on it carries: one message, and one scan of a
 * gateway's cache, however many tenants are on the plan).
 */
public final class KeyInvalidations {
    public static final String CHANNEL = "sluice:keys:invalidations";

    private KeyInvalidations() {
    }

    public static String forKeyHash(String sha256Hex) {
        return "key:" + sha256Hex;
    }

    public static String forTenant(String tenantId) {
        return "tenant:" + tenantId;
    }

    public static String forPlan(String planName) {
        return "plan:" + planName;
    }
}
