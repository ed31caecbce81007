package io.sluice.telemetry.stream;

import java.time.Duration;

/** Exponential backoff: the wait after n consecutive failures doubles from {@code initial} and stops at {@code max}. */
record RetryBackoff(Duration initial, Duration max) {

    RetryBackoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("sluice.ledger.backoff.initial must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("sluice.ledger.backoff.max must not be below backoff.initial");
        }
    }

    Duration after(int consecutiveFailures) {
        Duration delay = initial;
        for (int i = 1; i < consecutiveFailures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
