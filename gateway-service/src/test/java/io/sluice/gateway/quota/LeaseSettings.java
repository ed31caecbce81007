package io.sluice.gateway.quota;

import io.sluice.gateway.config.QuotaConfig;

/** {@code sluice.quota.lease} as a test sets it. */
record LeaseSettings(int percent, int maxRequests, long tenants) implements QuotaConfig.Lease {
}
