package io.sluice.orchestrator.conversation;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.flywaydb.core.Flyway;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Migrates schema "memory" at start-up, without making PostgreSQL a start-up dependency: chat completions and
 * embeddings need no database, so the orchestrator must start (and stay ready) while PostgreSQL is down. One attempt
 * runs before the service takes traffic; if it fails, it is retried in the background every
 * migrate-retry until it succeeds. Meanwhile memory requests fail with memory_unavailable.
 * (Quarkus' own quarkus.flyway.migrate-at-start is off for this reason: a failure there stops the application.)
 */
@ApplicationScoped
public class MemorySchemaMigration {
    private final AtomicBoolean migrated = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    private final Flyway flyway;
    private final Vertx vertx;
    private final MemoryConfig config;

    public MemorySchemaMigration(Flyway flyway, Vertx vertx, MemoryConfig config) {
        this.flyway = flyway;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.migrateAtStart() && !attempt()) {
            scheduleRetry();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped.set(true);
    }

    /** Whether the schema is known to be migrated (by this instance). */
    public boolean migrated() {
        return migrated.get();
    }

    private boolean attempt() {
        try {
            flyway.migrate();
            migrated.set(true);
            Log.info("conversation memory: schema memory migrated");
            return true;
        } catch (RuntimeException e) {
            // WARN once per outage, not on every retry
            if (!failing.getAndSet(true)) {
                Log.warnf("conversation memory: cannot migrate schema memory yet (%s); retrying every %s, memory "
                        + "requests answer 503 meanwhile", e.getMessage(), config.migrateRetry());
            } else {
                Log.debugf("conversation memory: migration failed again (%s)", e.getMessage());
            }
            return false;
        }
    }

    private void scheduleRetry() {
        if (stopped.get()) {
            return;
        }
        vertx.setTimer(config.migrateRetry().toMillis(), id -> vertx.executeBlocking(() -> attempt(), false)
                .onComplete(result -> {
                    if (result.failed() || !Boolean.TRUE.equals(result.result())) {
                        scheduleRetry();
                    }
                }));
    }
}
