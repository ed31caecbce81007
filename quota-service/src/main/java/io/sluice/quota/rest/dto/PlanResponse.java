package io.sluice.quota.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.Plan;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlanResponse(String name, long requestsPerMinute, long requestsPerHour, long requestsPerDay,
        long tokensPerDay, long cacheMaxTtlSeconds, long cacheMaxBytes, int memoryMaxItems, int memoryRetentionDays,
        Instant updatedAt) {

    public static PlanResponse from(Plan plan) {
        return new PlanResponse(plan.name, plan.requestsPerMinute, plan.requestsPerHour, plan.requestsPerDay,
                plan.tokensPerDay, plan.cacheMaxTtlSeconds, plan.cacheMaxBytes, plan.memoryMaxItems,
                plan.memoryRetentionDays, plan.updatedAt);
    }
}
