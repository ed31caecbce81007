package io.sluice.telemetry.repository;

/**
 * Why one usage entry cannot become a ledger row, in terms that are safe to log, export and keep: never the value
 * that caused it.
 *
 * @param kind {@value #INVALID} when the entry is not a usage event at all (a field missing or malformed), else the
 *         name of the SQLSTATE class PostgreSQL refused the row with ({@code data_exception}, …)
 * @param sqlState PostgreSQL's five-character SQLSTATE, or null when the row never reached PostgreSQL
 * @param exception the simple class name of the exception that reported it
 */
public record RowError(String kind, String sqlState, String exception) {
    public static final String INVALID = "invalid";

    public static RowError invalid(Throwable failure) {
        return new RowError(INVALID, null, failure.getClass().getSimpleName());
    }
}
