package io.sluice.contracts;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What an active API key may do, as quota-service answers {@code GET /internal/keys/{sha256}} and the gateway
 * caches it: whose key it is, the limits of the tenant's plan and the model allow-list ({@code null} = all).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyGrant(
        String keyId,
        String tenantId,
        String tenantName,
        String plan,
        PlanLimits limits,
        List<String> models,
        Instant expiresAt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlanLimits(long requestsPerMinute, long requestsPerHour, long requestsPerDay, long tokensPerDay) {
    }

    /** An absent or empty allow-list admits every model. */
    public boolean allowsModel(String model) {
        return models == null || models.isEmpty() || models.contains(model);
    }
}
