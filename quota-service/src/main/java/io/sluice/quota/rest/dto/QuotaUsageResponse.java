package io.sluice.quota.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.model.BudgetField;
import io.sluice.quota.model.LimitField;
import io.sluice.quota.model.QuotaSnapshot;

/**
 * A tenant's live usage in the current windows: requests per minute, hour and day, tokens per day, and USD spend
 * against each budget it has ({@code usd_day}, {@code usd_month} are null without that budget).
 *
 * @param measuredAt the Redis server time the windows were taken at
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QuotaUsageResponse(String object, UUID tenantId, Instant measuredAt, Window rpm, Window rph,
        Window rpd, Window tpd, Budget usdDay, Budget usdMonth) {

    public static QuotaUsageResponse from(QuotaSnapshot snapshot) {
        return new QuotaUsageResponse("quota_usage", snapshot.tenantId(), snapshot.at(),
                Window.from(snapshot.usage(LimitField.REQUESTS_PER_MINUTE)),
                Window.from(snapshot.usage(LimitField.REQUESTS_PER_HOUR)),
                Window.from(snapshot.usage(LimitField.REQUESTS_PER_DAY)),
                Window.from(snapshot.usage(LimitField.TOKENS_PER_DAY)),
                Budget.from(snapshot.spend(BudgetField.DAILY_USD)),
                Budget.from(snapshot.spend(BudgetField.MONTHLY_USD)));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Window(long used, Long limit, Long remaining, long resetsInSeconds) {
        static Window from(QuotaSnapshot.WindowUsage usage) {
            return new Window(usage.used(), usage.limit(), usage.remaining(), usage.resetsInSeconds());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Budget(BigDecimal usedUsd, BigDecimal budgetUsd, BigDecimal remainingUsd, long resetsInSeconds) {
        static Budget from(QuotaSnapshot.BudgetUsage spend) {
            return spend == null ? null
                    : new Budget(spend.usedUsd(), spend.budgetUsd(), spend.remainingUsd(), spend.resetsInSeconds());
        }
    }
}
