package io.sluice.quota.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.sluice.quota.model.LimitField;

/**
 * Limits of which each may be unset ({@code null}): a tenant's overrides of its plan, or a key's own limits. The
 * columns have the same names in both tables.
 */
@Embeddable
public record PartialLimits(
        @Column(name = "requests_per_minute") Long requestsPerMinute,
        @Column(name = "requests_per_hour") Long requestsPerHour,
        @Column(name = "requests_per_day") Long requestsPerDay,
        @Column(name = "tokens_per_day") Long tokensPerDay) {

    public static final PartialLimits NONE = new PartialLimits(null, null, null, null);

    /** Hibernate loads an embeddable whose columns are all NULL as null; this turns that back into "none set". */
    public static PartialLimits orNone(PartialLimits limits) {
        return limits == null ? NONE : limits;
    }

    public Long get(LimitField field) {
        return switch (field) {
            case REQUESTS_PER_MINUTE -> requestsPerMinute;
            case REQUESTS_PER_HOUR -> requestsPerHour;
            case REQUESTS_PER_DAY -> requestsPerDay;
            case TOKENS_PER_DAY -> tokensPerDay;
        };
    }

    /** A copy with one limit set, or unset when {@code value} is null. */
    public PartialLimits with(LimitField field, Long value) {
        return switch (field) {
            case REQUESTS_PER_MINUTE -> new PartialLimits(value, requestsPerHour, requestsPerDay, tokensPerDay);
            case REQUESTS_PER_HOUR -> new PartialLimits(requestsPerMinute, value, requestsPerDay, tokensPerDay);
            case REQUESTS_PER_DAY -> new PartialLimits(requestsPerMinute, requestsPerHour, value, tokensPerDay);
            case TOKENS_PER_DAY -> new PartialLimits(requestsPerMinute, requestsPerHour, requestsPerDay, value);
        };
    }
}
