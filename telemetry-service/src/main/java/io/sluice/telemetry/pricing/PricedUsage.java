package io.sluice.telemetry.pricing;

import java.math.BigDecimal;

import io.sluice.contracts.UsageEvent;

/**
 * A usage event with the cost the ledger records for it and, for an answer from the response cache, the cost its
 * tokens would have had (a hit costs nothing: {@code costMicroUsd} is 0 and {@code savedMicroUsd} is that price).
 */
public record PricedUsage(UsageEvent event, long costMicroUsd, long savedMicroUsd) {

    /** The cost in USD with six decimals, exact: micro-USD / 1e6. */
    public BigDecimal costUsd() {
        return BigDecimal.valueOf(costMicroUsd, 6);
    }
}
