package io.sluice.gateway.quota;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** Where quota counters live: Redis for the cluster-wide truth, a local store when Redis cannot answer. */
public interface QuotaStore {

    /** Checks every limit and, only if all admit, consumes from every one of them. */
    Uni<QuotaDecision> reserve(String tenantId, String keyId, List<QuotaLimit> limits);

    /** Adds each delta to the counter a reservation was taken from (settling to actual usage). */
    Uni<Void> adjust(List<Adjustment> adjustments);

    record Adjustment(String key, long delta) {
    }
}
