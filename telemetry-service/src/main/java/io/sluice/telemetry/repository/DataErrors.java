package io.sluice.telemetry.repository;

import java.util.Optional;

import io.vertx.sqlclient.DatabaseException;

/**
 * Tells a write that failed because of the rows it carried (retrying the same rows fails the same way) from one that
 * failed because of PostgreSQL or the way to it (retrying later succeeds). Only the first kind may be set aside row
 * by row; everything else, unknown failures included, is retried as it is, so that an outage never discards rows.
 *
 * <p>Data errors: SQLSTATE class 22 (data exception: a NUL character, invalid encoding, a numeric or date out of
 * range), class 23 (integrity constraint violation) and 54000 (program limit exceeded: a value too large for an
 * index entry). Not data errors: connection failures (08), insufficient resources (53), operator intervention such
 * as a shutdown (57), serialization failures and deadlocks (40), timeouts and client-side exceptions.
 */
public final class DataErrors {
    private static final String PROGRAM_LIMIT_EXCEEDED = "54000";

    private DataErrors() {
    }

    /** The data error behind {@code failure} (or one of its causes), or empty if it is not one. */
    public static Optional<RowError> classify(Throwable failure) {
        String sqlState = sqlState(failure);
        if (sqlState == null) {
            return Optional.empty();
        }
        String kind;
        if (sqlState.startsWith("22")) {
            kind = "data_exception";
        } else if (sqlState.startsWith("23")) {
            kind = "integrity_constraint_violation";
        } else if (sqlState.equals(PROGRAM_LIMIT_EXCEEDED)) {
            kind = "program_limit_exceeded";
        } else {
            return Optional.empty();
        }
        return Optional.of(new RowError(kind, sqlState, databaseException(failure).getClass().getSimpleName()));
    }

    public static boolean isDataError(Throwable failure) {
        return classify(failure).isPresent();
    }

    /**
     * The failure as a log may show it: PostgreSQL's messages can quote the value they refused (a tenant's data), so
     * a database error is named by its SQLSTATE only.
     */
    public static String describe(Throwable failure) {
        DatabaseException database = databaseException(failure);
        return database == null ? failure.toString()
                : database.getClass().getSimpleName() + " (SQLSTATE " + database.getSqlState() + ")";
    }

    private static String sqlState(Throwable failure) {
        DatabaseException database = databaseException(failure);
        return database == null ? null : database.getSqlState();
    }

    private static DatabaseException databaseException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DatabaseException database) {
                return database;
            }
        }
        return null;
    }
}
