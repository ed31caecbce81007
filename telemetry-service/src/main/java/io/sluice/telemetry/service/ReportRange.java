package io.sluice.telemetry.service;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import io.sluice.contracts.rest.ApiException;

/** A report's UTC days, {@code from} and {@code to} both included. */
public record ReportRange(LocalDate from, LocalDate to) {
    /** Longest range one report covers: a year, leap day included. */
    public static final int MAX_DAYS = 366;

    /**
     * Reads {@code from}/{@code to} as ISO dates (yyyy-MM-dd); missing ones default to the first day of the current
     * UTC month and today.
     *
     * @throws ApiException 400 in OpenAI's error format for a malformed date, from after to, or a too long range
     */
    public static ReportRange parse(String from, String to, LocalDate today) {
        LocalDate start = from == null || from.isBlank() ? today.withDayOfMonth(1) : date(from, "from");
        LocalDate end = to == null || to.isBlank() ? today : date(to, "to");
        if (start.isAfter(end)) {
            throw ApiException.badRequest("invalid_date_range", "from",
                    "'from' (" + start + ") is after 'to' (" + end + ").");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw ApiException.badRequest("invalid_date_range", "to",
                    "A report covers at most " + MAX_DAYS + " days; narrow 'from'..'to'.");
        }
        return new ReportRange(start, end);
    }

    /** Start of {@code from}, UTC. */
    public OffsetDateTime startInstant() {
        return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** Start of the day after {@code to}, UTC: the exclusive end. */
    public OffsetDateTime endInstant() {
        return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static LocalDate date(String value, String param) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_date", param,
                    "'" + param + "' must be an ISO date (yyyy-MM-dd), UTC.");
        }
    }
}
