package io.sluice.gateway.service;

import io.sluice.contracts.UsageEvent;

/** How a forwarded request ended, as far as billing and the ledger need to know. */
public record RelayResult(int status, UsageEvent.Outcome outcome, int promptTokens, int completionTokens,
        String provider, String deployment) {

    public static RelayResult failed(int status) {
        return new RelayResult(status, UsageEvent.Outcome.ERROR, 0, 0, null, null);
    }
}
