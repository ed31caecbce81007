package io.sluice.quota.service;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.UsdBudgets;
import io.sluice.quota.model.BudgetField;

/**
 * A validated change of USD budgets, from JSON such as {@code {"daily_usd": 25.5, "monthly_usd": null}}: a named
 * budget is set to a positive amount or, when null, removed; a budget not named stays as it is.
 */
public final class BudgetChanges {
    /** numeric(14,6): whole dollars below 10^8, to the micro-dollar the gateway's counters count in. */
    static final int SCALE = 6;
    static final BigDecimal LIMIT_EXCLUSIVE = new BigDecimal("100000000");

    private static final BudgetChanges NONE = new BudgetChanges(new EnumMap<>(BudgetField.class));

    private final Map<BudgetField, BigDecimal> changes;

    private BudgetChanges(Map<BudgetField, BigDecimal> changes) {
        this.changes = changes;
    }

    /**
     * Validates the requested changes.
     *
     * @param requested budget names to amounts in USD, a null amount meaning "remove"; null for no change
     * @param param JSON name of the object holding them, which errors name, e.g. "budgets"
     */
    public static BudgetChanges parse(Map<String, BigDecimal> requested, String param) {
        if (requested == null || requested.isEmpty()) {
            return NONE;
        }
        Map<BudgetField, BigDecimal> changes = new EnumMap<>(BudgetField.class);
        requested.forEach((name, amount) -> {
            BudgetField field = BudgetField.fromJsonName(name).orElseThrow(() -> ApiException.badRequest(
                    "unknown_parameter", param + "." + name, "Unknown budget '" + name + "'; known budgets: "
                            + String.join(", ", Arrays.stream(BudgetField.values()).map(BudgetField::jsonName)
                                    .toList())));
            changes.put(field, amount == null ? null : validAmount(amount, param + "." + name));
        });
        return new BudgetChanges(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public UsdBudgets applyTo(UsdBudgets current) {
        UsdBudgets changed = current;
        for (Map.Entry<BudgetField, BigDecimal> change : changes.entrySet()) {
            changed = changed.with(change.getKey(), change.getValue());
        }
        return changed;
    }

    private static BigDecimal validAmount(BigDecimal amount, String param) {
        if (amount.signum() <= 0 || amount.compareTo(LIMIT_EXCLUSIVE) >= 0) {
            throw ApiException.badRequest("invalid_value", param,
                    param + " must be more than 0 and less than " + LIMIT_EXCLUSIVE.toPlainString() + " USD");
        }
        if (amount.stripTrailingZeros().scale() > SCALE) {
            throw ApiException.badRequest("invalid_value", param,
                    param + " must have at most " + SCALE + " decimal places (micro-USD)");
        }
        // One scale for every stored budget, so a response shows the amount as it is read back later.
        return amount.setScale(SCALE);
    }
}
