package io.sluice.gateway.quota;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.pricing.PriceTableConfig;

/** Prices tokens in micro-USD, the unit of the budget counters, from the price table telemetry also bills with. */
@ApplicationScoped
public class CostEstimator {
    private final PriceTableConfig prices;

    public CostEstimator(PriceTableConfig prices) {
        this.prices = prices;
    }

    public long microUsd(String model, long inputTokens, long cachedTokens, long outputTokens, double multiplier) {
        return prices.priceOf(model).microUsd(inputTokens, cachedTokens, outputTokens, BigDecimal.valueOf(multiplier));
    }
}
