package io.sluice.gateway.quota;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.gateway.config.PriceTableConfig;

/**
 * Prices tokens in micro-USD, the unit of the budget counters. A price of X USD per million tokens is exactly X
 * micro-USD per token; the result is rounded up so that budgets are never under-counted.
 */
@ApplicationScoped
public class CostEstimator {
    private final PriceTableConfig prices;

    public CostEstimator(PriceTableConfig prices) {
        this.prices = prices;
    }

    public long microUsd(String model, long inputTokens, long outputTokens, double multiplier) {
        PriceTableConfig.Price price = prices.models().getOrDefault(model, prices.fallback());
        double cost = (inputTokens * price.inputPerMillion() + outputTokens * price.outputPerMillion()) * multiplier;
        return (long) Math.ceil(cost);
    }
}
