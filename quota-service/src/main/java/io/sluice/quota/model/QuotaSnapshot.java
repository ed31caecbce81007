package io.sluice.quota.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.quota.entity.UsdBudgets;

/**
 * A tenant's usage in its current quota windows, as the gateway's Redis counters held it at {@code at} (Redis time).
 *
 * @param limits the tenant's effective limits; null if its plan is missing
 * @param used counter value per window; a window without a counter has used nothing
 */
public record QuotaSnapshot(UUID tenantId, Instant at, Limits limits, UsdBudgets budgets, Map<Window, Long> used) {
    private static final int MICRO_USD_SCALE = 6;

    public WindowUsage usage(LimitField field) {
        long used = used(field.window());
        Long limit = limits == null ? null : limits.get(field);
        Long remaining = limit == null ? null : Math.max(0, limit - used);
        return new WindowUsage(used, limit, remaining, secondsUntilReset(field.window()));
    }

    /** Spend against a budget; null when the tenant has no such budget. */
    public BudgetUsage spend(BudgetField field) {
        BigDecimal budget = budgets.get(field);
        if (budget == null) {
            return null;
        }
        // The gateway counts micro-USD in integers.
        BigDecimal used = BigDecimal.valueOf(used(field.window()), MICRO_USD_SCALE);
        BigDecimal remaining = budget.subtract(used).max(BigDecimal.ZERO.setScale(MICRO_USD_SCALE));
        return new BudgetUsage(used, budget, remaining, secondsUntilReset(field.window()));
    }

    private long used(Window window) {
        Long value = used.get(window);
        return value == null ? 0 : value;
    }

    /** Whole seconds until the window's counter is replaced by the next window's, counted up. */
    private long secondsUntilReset(Window window) {
        return window.secondsToReset(at);
    }

    /** Requests or tokens in one window: {@code remaining} is never negative; limit and remaining are null without a plan. */
    public record WindowUsage(long used, Long limit, Long remaining, long resetsInSeconds) {
    }

    /** USD spent against one budget, to the micro-dollar. */
    public record BudgetUsage(BigDecimal usedUsd, BigDecimal budgetUsd, BigDecimal remainingUsd,
            long resetsInSeconds) {
    }
}
