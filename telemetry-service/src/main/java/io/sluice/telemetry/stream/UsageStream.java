package io.sluice.telemetry.stream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XPendingSummary;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.sluice.telemetry.config.LedgerConfig;
import io.smallrye.mutiny.Uni;

/**
 * The usage event stream as this replica's consumer in the ledger's consumer group sees it. The reactive Redis
 * client has no per-command timeout, so every call here carries one: a hung Redis fails the batch instead of
 * stalling the consumer for ever.
 */
@ApplicationScoped
public class UsageStream {
    /** Start of the stream, for the group's first read and for the claim cursor. */
    static final String BEGINNING = "0-0";
    /** XREADGROUP id for "this consumer's delivered but unacknowledged entries". */
    private static final String OWN_PENDING = "0";
    /** XREADGROUP id for "entries never delivered to this group". */
    private static final String NEVER_DELIVERED = ">";

    private final ReactiveStreamCommands<String, String, String> commands;
    private final LedgerConfig config;
    private final String consumer;

    public UsageStream(ReactiveRedisDataSource redis, LedgerConfig config) {
        if (config.batchSize() < 1) {
            throw new IllegalArgumentException("sluice.ledger.batch-size must be at least 1");
        }
        this.commands = redis.stream(String.class);
        this.config = config;
        this.consumer = config.consumer().orElseGet(UsageStream::hostAndPid);
    }

    /**
     * Creates the consumer group (and the stream, if the gateway has not written yet). A new group starts at the
     * beginning of the stream: events written before the first telemetry start are recorded too.
     */
    public Uni<Void> createGroup() {
        return commands.xgroupCreate(config.stream(), config.group(), BEGINNING, new XGroupCreateArgs().mkstream())
                .ifNoItem().after(config.commandTimeout()).fail()
                .onFailure(UsageStream::isBusyGroup).recoverWithNull()
                .invoke(() -> Log.infof("Consuming %s as %s in group %s", config.stream(), consumer, config.group()));
    }

    /** Entries delivered to this consumer earlier but not acknowledged: a failed batch, or claimed ones. */
    public Uni<List<StreamMessage<String, String, String>>> readOwnPending() {
        return commands.xreadgroup(config.group(), consumer, config.stream(), OWN_PENDING,
                        new XReadGroupArgs().count(config.batchSize()))
                .ifNoItem().after(config.commandTimeout()).fail();
    }

    /** New entries, waiting up to the configured block time for some to arrive. */
    public Uni<List<StreamMessage<String, String, String>>> readNew() {
        return commands.xreadgroup(config.group(), consumer, config.stream(), NEVER_DELIVERED,
                        new XReadGroupArgs().count(config.batchSize()).block(config.block()))
                .ifNoItem().after(config.block().plus(config.commandTimeout())).fail();
    }

    /**
     * Acknowledges entries whose rows are committed (or dead-lettered) and deletes them from the stream, so that Redis
     * holds only what the ledger has not written yet, not every event up to the producer's trim bound (a million
     * entries, some 200 MiB); the stream's length is then the ledger's backlog. A crash between the two commands
     * leaves acknowledged entries behind, which the producer's trimming removes in time.
     */
    public Uni<Integer> acknowledge(List<String> ids) {
        String[] entries = ids.toArray(String[]::new);
        return commands.xack(config.stream(), config.group(), entries)
                .call(() -> commands.xdel(config.stream(), entries))
                .ifNoItem().after(config.commandTimeout()).fail();
    }

    /**
     * Moves entries that some consumer (typically a crashed replica) has held unacknowledged for longer than the
     * configured idle time into this consumer's pending list, from {@code cursor} on.
     */
    public Uni<ClaimedMessages<String, String, String>> claimIdle(String cursor) {
        return commands.xautoclaim(config.stream(), config.group(), consumer, config.claim().minIdle(), cursor,
                        config.batchSize())
                .ifNoItem().after(config.commandTimeout()).fail();
    }

    /** Entries delivered to the group and not yet acknowledged, over all its consumers. */
    public Uni<Long> pendingCount() {
        return commands.xpending(config.stream(), config.group())
                .map(XPendingSummary::getPendingCount)
                .ifNoItem().after(config.commandTimeout()).fail();
    }

    /** Entries in the stream (XLEN): those not recorded yet, delivered or not. */
    public Uni<Long> length() {
        return commands.xlen(config.stream())
                .ifNoItem().after(config.commandTimeout()).fail();
    }

    static boolean isBusyGroup(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("BUSYGROUP");
    }

    /** The stream or the group vanished (Redis restarted without persistence): the group must be created again. */
    static boolean isNoGroup(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOGROUP");
    }

    private static String hostAndPid() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "telemetry";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
