package io.sluice.orchestrator.conversation;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The reactive PostgreSQL pool as the memory repositories use it: every call bounded by {@code db-timeout} and every
 * failure turned into {@link MemoryUnavailableException}, so a database outage is a quick 503, never a hung request.
 * A call that times out may still commit later; every write here is idempotent or re-readable, so that is harmless.
 */
@ApplicationScoped
public class MemoryDatabase {
    private final Pool pool;
    private final MemoryConfig config;

    public MemoryDatabase(Pool pool, MemoryConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** One statement (or several) outside a transaction. */
    public <T> Uni<T> call(Function<SqlClient, Uni<T>> work) {
        return guard(Uni.createFrom().deferred(() -> work.apply(pool)));
    }

    /** Statements in one transaction, committed before the Uni completes. */
    public <T> Uni<T> inTransaction(Function<SqlClient, Uni<T>> work) {
        return guard(pool.withTransaction(connection -> work.apply(connection)));
    }

    private <T> Uni<T> guard(Uni<T> call) {
        return call.ifNoItem().after(config.dbTimeout()).fail()
                .onFailure(failure -> !(failure instanceof MemoryUnavailableException))
                .transform(failure -> new MemoryUnavailableException("conversation memory unavailable: "
                        + failure.getClass().getSimpleName(), failure));
    }
}
