package io.sluice.quota.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.PartialLimits;
import io.sluice.quota.model.Limits;

/** The four limits; in overrides and key limits a null limit is not set. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LimitsResponse(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay, Long tokensPerDay) {

    public static LimitsResponse from(PartialLimits limits) {
        return new LimitsResponse(limits.requestsPerMinute(), limits.requestsPerHour(), limits.requestsPerDay(),
                limits.tokensPerDay());
    }

    /** Null for null limits (a tenant whose plan is missing). */
    public static LimitsResponse from(Limits limits) {
        return limits == null ? null : new LimitsResponse(limits.requestsPerMinute(), limits.requestsPerHour(),
                limits.requestsPerDay(), limits.tokensPerDay());
    }
}
