package io.sluice.contracts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What an active API key may do, as quota-service answers {@code GET /internal/keys/{sha256}} and the gateway
 * caches it: whose key it is, the tenant's effective limits (plan, then the tenant's overrides), the key's own
 * limits (each {@code null} = only the tenant's apply), the tenant's USD budgets ({@code null} = none) and the model
 * allow-list ({@code null} = all).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyGrant(
        String keyId,
        String tenantId,
        String tenantName,
        String plan,
        PlanLimits limits,
        KeyLimits keyLimits,
        Budgets budgets,
        List<String> models,
        Instant expiresAt) {

    /** The tenant's limits, shared by all its keys. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlanLimits(long requestsPerMinute, long requestsPerHour, long requestsPerDay, long tokensPerDay) {
    }

    /** Limits of one key on top of its tenant's; a {@code null} field sets no key-level limit. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KeyLimits(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay, Long tokensPerDay) {
    }

    /** USD budgets of the tenant per UTC day and calendar month (UTC); a {@code null} field sets no budget. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Budgets(BigDecimal dailyUsd, BigDecimal monthlyUsd) {
    }

    /** Whether the key is past its expiry (a rotated key expires at the end of its grace period). */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** An absent or empty allow-list admits every model. */
    public boolean allowsModel(String model) {
        return models == null || models.isEmpty() || models.contains(model);
    }
}
