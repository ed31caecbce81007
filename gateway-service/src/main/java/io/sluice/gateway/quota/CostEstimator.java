package io.sluice.gateway.quota;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.pricing.PriceTableConfig;

/**
 * Prices tokens in micro-USD, the unit of the budget counters, from the price table telemetry also bills with, and
 * as telemetry bills them: at 1×, so a budget is spent exactly as the ledger's cost (endpoint multipliers weigh
 * token quotas only).
 */
@ApplicationScoped
public class CostEstimator {
    private final PriceTableConfig prices;

    public CostEstimator(PriceTableConfig prices) {
        this.prices = prices;
    }

    public long microUsd(String model, long inputTokens, long cachedTokens, long outputTokens) {
        return prices.priceOf(model).microUsd(inputTokens, cachedTokens, outputTokens);
    }
}
