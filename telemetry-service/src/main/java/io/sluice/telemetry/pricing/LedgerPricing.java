package io.sluice.telemetry.pricing;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.contracts.pricing.PriceTableConfig;

/**
 * Prices usage events from the shared price table ({@code sluice.prices.*}, the one the gateway's budgets use), so
 * that the ledger's cost and the budget counters agree.
 */
@ApplicationScoped
public class LedgerPricing {
    private final PriceTableConfig prices;

    public LedgerPricing(PriceTableConfig prices) {
        this.prices = prices;
    }

    /**
     * The event's tokens at its model's price (models the table does not list take {@code sluice.prices.default}).
     * A rejected request never reached a provider: it costs nothing, whatever tokens it carries. An answer from the
     * gateway's response cache costs nothing either; its tokens (those of the stored answer) are priced all the same,
     * as what the cache saved.
     */
    public PricedUsage price(UsageEvent event) {
        if (event.outcome() == Outcome.REJECTED) {
            return new PricedUsage(event, 0, 0);
        }
        long cost = prices.priceOf(event.model())
                .microUsd(Math.max(0, event.promptTokens()), event.cachedTokens(), Math.max(0, event.completionTokens()));
        return event.cacheHit() ? new PricedUsage(event, 0, cost) : new PricedUsage(event, cost, 0);
    }
}
