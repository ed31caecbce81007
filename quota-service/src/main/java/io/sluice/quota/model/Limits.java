package io.sluice.quota.model;

import io.sluice.quota.entity.PartialLimits;

/** A complete set of limits: a plan's, or a tenant's effective ones (its plan's with its overrides applied). */
public record Limits(long requestsPerMinute, long requestsPerHour, long requestsPerDay, long tokensPerDay) {

    public long get(LimitField field) {
        return switch (field) {
            case REQUESTS_PER_MINUTE -> requestsPerMinute;
            case REQUESTS_PER_HOUR -> requestsPerHour;
            case REQUESTS_PER_DAY -> requestsPerDay;
            case TOKENS_PER_DAY -> tokensPerDay;
        };
    }

    /** These limits with every limit that {@code overrides} sets replaced by the override. */
    public Limits overriddenBy(PartialLimits overrides) {
        return new Limits(
                pick(overrides.requestsPerMinute(), requestsPerMinute),
                pick(overrides.requestsPerHour(), requestsPerHour),
                pick(overrides.requestsPerDay(), requestsPerDay),
                pick(overrides.tokensPerDay(), tokensPerDay));
    }

    private static long pick(Long override, long base) {
        return override == null ? base : override;
    }
}
