package io.sluice.telemetry.deadletter;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.repository.RowError;

/** A dead-lettered usage entry as the admin API shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetterResponse(
        String id,
        String object,
        String originalId,
        String source,
        Instant deadLetteredAt,
        Error error,
        Map<String, String> fields) {

    static final String OBJECT = "usage.dead_letter";

    /**
     * @param kind {@code invalid} (not a usage event) or the SQLSTATE class name of PostgreSQL's refusal
     */
    public record Error(String kind, @JsonProperty("sqlstate") String sqlState, String exception) {

        public static Error of(RowError error) {
            return new Error(error.kind(), error.sqlState(), error.exception());
        }
    }

    static DeadLetterResponse from(DeadLetter letter) {
        return new DeadLetterResponse(letter.id(), OBJECT, letter.originalId(), letter.source(),
                letter.deadLetteredAt(), Error.of(letter.error()), letter.fields());
    }
}
