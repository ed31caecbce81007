package io.sluice.orchestrator.conversation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants as the PostgreSQL client binds timestamptz. */
final class Timestamps {
    private Timestamps() {
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
