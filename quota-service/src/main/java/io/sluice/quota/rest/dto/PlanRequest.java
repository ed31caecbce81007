package io.sluice.quota.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.PartialLimits;

/** Body of {@code PUT /admin/plans/{name}}: all four limits, each a positive whole number. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PlanRequest(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay, Long tokensPerDay) {

    /** The limits as given; the service rejects a missing one. */
    public PartialLimits limits() {
        return new PartialLimits(requestsPerMinute, requestsPerHour, requestsPerDay, tokensPerDay);
    }
}
