package io.sluice.telemetry.pricing;

import java.math.BigDecimal;

import io.sluice.contracts.UsageEvent;

/** A usage event with the cost the ledger records for it. */
public record PricedUsage(UsageEvent event, long costMicroUsd) {

    /** The cost in USD with six decimals, exact: micro-USD / 1e6. */
    public BigDecimal costUsd() {
        return BigDecimal.valueOf(costMicroUsd, 6);
    }
}
