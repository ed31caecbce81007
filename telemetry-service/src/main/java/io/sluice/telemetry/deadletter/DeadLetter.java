package io.sluice.telemetry.deadletter;

import java.time.Instant;
import java.util.Map;

import io.sluice.telemetry.repository.RowError;

/**
 * One entry of the dead-letter stream: a usage entry that could not become a ledger row, with its original fields
 * untouched and the reason.
 *
 * @param id its id in the dead-letter stream
 * @param originalId its id in the usage stream, or null if it was posted to {@code /internal/usage/events}
 * @param source {@value DeadLetterStream#FROM_STREAM} or {@value DeadLetterStream#FROM_HTTP}
 */
public record DeadLetter(String id, String originalId, String source, Instant deadLetteredAt, RowError error,
        Map<String, String> fields) {

    /** An entry whose fields were lost (trimmed from the usage stream before it was read) cannot be replayed. */
    public boolean replayable() {
        return !fields.isEmpty();
    }
}
