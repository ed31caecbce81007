package io.sluice.telemetry.service;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.telemetry.config.LedgerConfig;
import io.vertx.core.Vertx;

/**
 * Runs the rollup and pruning every {@code sluice.ledger.retention.rollup-interval} (and once at start-up) on a
 * Vert.x timer: no thread waits on it. A run that overlaps the previous one is skipped; replicas serialise on a
 * PostgreSQL advisory lock, so running on every replica is safe.
 */
@ApplicationScoped
public class UsageRollupJob {
    private final UsageRollupService rollups;
    private final LedgerConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public UsageRollupJob(UsageRollupService rollups, LedgerConfig config, Vertx vertx) {
        this.rollups = rollups;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(1, config.retention().rollupInterval().toMillis(), id -> runOnce());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void runOnce() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        rollups.run().subscribe().with(result -> running.set(false), failure -> {
            running.set(false);
            // PostgreSQL down, typically: the next run catches up, nothing is pruned that is not rolled up.
            Log.warnf("Usage rollup failed, retrying at the next interval: %s", failure.toString());
        });
    }
}
