package io.sluice.contracts;

/**
 * Redis pub/sub channel on which quota-service announces that cached key grants are stale, so that every gateway
 * replica drops them within moments instead of waiting for its cache TTL. A message is either {@code key:<sha256>}
 * (one key revoked, rotated or changed) or {@code tenant:<tenant-id>} (plan, overrides or budgets of a tenant).
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
}
