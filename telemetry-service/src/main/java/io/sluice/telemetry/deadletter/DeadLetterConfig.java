package io.sluice.telemetry.deadletter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where usage entries that cannot become ledger rows are kept for an operator to inspect, replay or delete. */
@ConfigMapping(prefix = "sluice.ledger.dead-letter")
public interface DeadLetterConfig {

    /** Redis Stream of dead-lettered entries. */
    @WithDefault("sluice:usage:dead")
    String stream();

    /**
     * Approximate bound of that stream (XADD MAXLEN ~): beyond it the oldest entries are trimmed, so a flood of bad
     * events cannot fill Redis. Each entry is about the size of its usage event plus 200 bytes.
     */
    @WithDefault("10000")
    long maxLength();

    /** Most entries one page of the admin listing returns ({@code limit}). */
    @WithDefault("100")
    int maxPageSize();
}
