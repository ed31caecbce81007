package io.sluice.quota.entity;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.sluice.quota.model.BudgetField;

/** A tenant's USD budgets per UTC day and UTC calendar month; {@code null} means no budget. */
@Embeddable
public record UsdBudgets(
        @Column(name = "daily_usd", precision = 14, scale = 6) BigDecimal dailyUsd,
        @Column(name = "monthly_usd", precision = 14, scale = 6) BigDecimal monthlyUsd) {

    public static final UsdBudgets NONE = new UsdBudgets(null, null);

    /** Hibernate loads an embeddable whose columns are all NULL as null; this turns that back into "no budgets". */
    public static UsdBudgets orNone(UsdBudgets budgets) {
        return budgets == null ? NONE : budgets;
    }

    public BigDecimal get(BudgetField field) {
        return switch (field) {
            case DAILY_USD -> dailyUsd;
            case MONTHLY_USD -> monthlyUsd;
        };
    }

    /** A copy with one budget set, or removed when {@code value} is null. */
    public UsdBudgets with(BudgetField field, BigDecimal value) {
        return switch (field) {
            case DAILY_USD -> new UsdBudgets(value, monthlyUsd);
            case MONTHLY_USD -> new UsdBudgets(dailyUsd, value);
        };
    }
}
