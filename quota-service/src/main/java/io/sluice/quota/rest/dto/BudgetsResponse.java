package io.sluice.quota.rest.dto;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.entity.UsdBudgets;

/** A tenant's USD budgets; null means no budget. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BudgetsResponse(BigDecimal dailyUsd, BigDecimal monthlyUsd) {

    public static BudgetsResponse from(UsdBudgets budgets) {
        return new BudgetsResponse(budgets.dailyUsd(), budgets.monthlyUsd());
    }
}
