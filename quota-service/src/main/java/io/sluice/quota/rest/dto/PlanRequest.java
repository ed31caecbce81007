package io.sluice.quota.rest.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.PartialLimits;

/**
 * Body of {@code PUT /admin/plans/{name}}: all four limits, each a positive whole number, and optionally the
 * response-cache caps (absent: the plan keeps its caps; a new plan gets 3600 s and 1 MiB) and the conversation-memory
 * policy (absent: the plan keeps it; a new plan gets 100 items, 30 days).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlanRequest(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay, Long tokensPerDay,
        @Schema(description = "Longest response-cache TTL a tenant on the plan may set, 1 to 604800 seconds")
        Long cacheMaxTtlSeconds,
        @Schema(description = "Bytes of cached answers each tenant on the plan may keep (least recently used ones are"
                + " evicted beyond it); 0 keeps the cache off on the plan")
        Long cacheMaxBytes,
        @Schema(description = "Items a conversation or response chain of a tenant on the plan keeps (the oldest are"
                + " pruned), 1 to 10000; a tenant may override it")
        Long memoryMaxItems,
        @Schema(description = "Days stored responses and conversations live after their last write, 1 to 3650; a"
                + " tenant may override it")
        Long memoryRetentionDays) {

    /** The limits as given; the service rejects a missing one. */
    public PartialLimits limits() {
        return new PartialLimits(requestsPerMinute, requestsPerHour, requestsPerDay, tokensPerDay);
    }
}
