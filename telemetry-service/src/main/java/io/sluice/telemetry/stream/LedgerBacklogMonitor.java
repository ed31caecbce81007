package io.sluice.telemetry.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.telemetry.config.LedgerConfig;
import io.sluice.telemetry.deadletter.DeadLetterStream;
import io.sluice.telemetry.metrics.LedgerMetrics;
import io.vertx.core.Vertx;

/**
 * Keeps the ledger's backlog gauges current with a periodic XPENDING and XLEN, so that a scrape never waits on
 * Redis. A growing pending count means events are read but not recorded (PostgreSQL trouble, or a dead replica
 * whose entries are not yet claimed); the stream length shows how close the stream is to its trim bound; the
 * dead-letter stream's length, how much usage waits for an operator.
 */
@ApplicationScoped
public class LedgerBacklogMonitor {
    private final UsageStream stream;
    private final DeadLetterStream deadLetters;
    private final LedgerMetrics metrics;
    private final LedgerConfig config;
    private final Vertx vertx;
    private long timer = -1;

    public LedgerBacklogMonitor(UsageStream stream, DeadLetterStream deadLetters, LedgerMetrics metrics,
            LedgerConfig config, Vertx vertx) {
        this.stream = stream;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(1, config.pendingRefresh().toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void refresh() {
        stream.pendingCount().subscribe().with(metrics::pending,
                // Before the consumer created the group, or while Redis is down: keep the last known value.
                failure -> Log.debugf("Cannot refresh the pending usage entries: %s", failure.toString()));
        stream.length().subscribe().with(metrics::streamLength,
                failure -> Log.debugf("Cannot refresh the usage stream length: %s", failure.toString()));
        deadLetters.length().subscribe().with(metrics::deadLetterLength,
                failure -> Log.debugf("Cannot refresh the dead-letter stream length: %s", failure.toString()));
    }
}
