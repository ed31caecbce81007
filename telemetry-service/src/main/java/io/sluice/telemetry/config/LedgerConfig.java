package io.sluice.telemetry.config;

import java.time.Duration;
import java.util.Optional;

import io.sluice.contracts.UsageEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the usage ledger consumes the usage event stream. */
@ConfigMapping(prefix = "sluice.ledger")
public interface LedgerConfig {

    /** Redis Stream the gateway writes usage events to. */
    @WithDefault(UsageEvent.STREAM)
    String stream();

    /** Consumer group shared by all telemetry replicas: each entry goes to one of them. */
    @WithDefault("telemetry")
    String group();

    /** This replica's consumer name in the group; defaults to host name and process id. */
    Optional<String> consumer();

    /** Entries read, inserted and acknowledged together (one transaction per batch). */
    @WithDefault("100")
    int batchSize();

    /** How long one read waits for new entries; it holds one Redis connection meanwhile. */
    @WithDefault("1s")
    Duration block();

    /**
     * After a batch smaller than batch-size, the consumer waits this long before reading again, so that the next
     * batch is fuller: at moderate rates one transaction and one XACK then carry tens of events instead of one or
     * two (at 400 events/s, 200 ms halves the CPU per event of telemetry and PostgreSQL against 50 ms). Bounds how
     * much later than its XADD an event can reach the ledger; 0 reads again at once.
     */
    @WithDefault("200ms")
    Duration linger();

    /** Upper bound for one Redis command or one database transaction before the batch counts as failed. */
    @WithDefault("5s")
    Duration commandTimeout();

    /** Consumers stop within this time on shutdown; an unfinished batch stays pending and is redelivered. */
    @WithDefault("10s")
    Duration shutdownGrace();

    Backoff backoff();

    Claim claim();

    /** How often the backlog gauges (pending entries, stream length) are refreshed. */
    @WithDefault("15s")
    Duration pendingRefresh();

    /** How often PostgreSQL and Redis are pinged for the {@code sluice_dependency_up} gauges. */
    @WithDefault("10s")
    Duration dependencyPing();

    Retention retention();

    /** Wait after a failed batch before retrying it: doubles from initial up to max. */
    interface Backoff {
        @WithDefault("1s")
        Duration initial();

        @WithDefault("10s")
        Duration max();
    }

    /** Daily rollups and the pruning of raw rows they make redundant. */
    interface Retention {
        /** Raw rows of UTC days older than this many days are deleted once their day is rolled up. */
        @WithDefault("30")
        int rawDays();

        /** How often complete days with rows not yet rolled up are rolled up, and old raw rows pruned. */
        @WithDefault("1h")
        Duration rollupInterval();
    }

    /** Taking over entries that another (crashed) consumer read but never acknowledged. */
    interface Claim {
        /** Entries idle for longer than this are claimed by this consumer. */
        @WithDefault("60s")
        Duration minIdle();

        /** How often this consumer looks for such entries. */
        @WithDefault("30s")
        Duration interval();
    }
}
