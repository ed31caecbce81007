package io.sluice.quota.model;

import java.util.Optional;

import io.sluice.contracts.QuotaKeys.Window;

/** The two USD budgets of a tenant, with their JSON names and the counter window that tracks spend against each. */
public enum BudgetField {
    DAILY_USD("daily_usd", Window.USD_DAY),
    MONTHLY_USD("monthly_usd", Window.USD_MONTH);

    private final String jsonName;
    private final Window window;

    BudgetField(String jsonName, Window window) {
        this.jsonName = jsonName;
        this.window = window;
    }

    public String jsonName() {
        return jsonName;
    }

    public Window window() {
        return window;
    }

    public static Optional<BudgetField> fromJsonName(String name) {
        for (BudgetField field : values()) {
            if (field.jsonName.equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
