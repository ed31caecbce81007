package io.sluice.telemetry.deadletter;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.sluice.telemetry.config.LedgerConfig;
import io.sluice.telemetry.metrics.LedgerMetrics;
import io.sluice.telemetry.repository.RowError;
import io.sluice.telemetry.service.Rejection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The dead-letter stream ({@code sluice.ledger.dead-letter.stream}): one entry per usage entry the ledger could not
 * store, holding the reason and the original fields as one JSON object, so that no original field name can clash
 * with the reason's. Every call is bounded by {@code sluice.ledger.command-timeout}.
 */
@ApplicationScoped
public class DeadLetterStream {
    static final String FROM_STREAM = "stream";
    static final String FROM_HTTP = "http";

    private static final String ORIGINAL_ID = "original_id";
    private static final String SOURCE = "source";
    private static final String ERROR = "error";
    private static final String SQLSTATE = "sqlstate";
    private static final String EXCEPTION = "exception";
    private static final String DEAD_LETTERED_AT = "dead_lettered_at";
    private static final String FIELDS = "fields";
    private static final TypeReference<Map<String, String>> FIELD_MAP = new TypeReference<>() {
    };

    private final ReactiveStreamCommands<String, String, String> commands;
    private final DeadLetterConfig config;
    private final LedgerConfig ledger;
    private final LedgerMetrics metrics;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();

    public DeadLetterStream(ReactiveRedisDataSource redis, DeadLetterConfig config, LedgerConfig ledger,
            LedgerMetrics metrics, ObjectMapper mapper) {
        if (config.maxLength() < 1) {
            throw new IllegalArgumentException("sluice.ledger.dead-letter.max-length must be at least 1");
        }
        this.commands = redis.stream(String.class);
        this.config = config;
        this.ledger = ledger;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** Dead-letters entries read from the usage stream; see {@link #add(List, String)}. */
    public Uni<List<String>> addFromStream(List<Rejection> rejections) {
        return add(rejections, FROM_STREAM);
    }

    /** Dead-letters entries posted to the fallback sink; see {@link #add(List, String)}. */
    public Uni<List<String>> addFromHttp(List<Rejection> rejections) {
        return add(rejections, FROM_HTTP);
    }

    /**
     * Writes one entry per rejection, in order, and counts each once written. Completes after the last XADD, so a
     * caller that acknowledges the originals afterwards may lose nothing: a crash in between only writes an entry
     * twice (harmless: its replay is idempotent on the request id).
     *
     * @return the dead-letter ids, in the order of the rejections
     */
    private Uni<List<String>> add(List<Rejection> rejections, String source) {
        if (rejections.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createFrom().iterable(rejections)
                .onItem().transformToUniAndConcatenate(rejection -> commands
                        .xadd(config.stream(), new XAddArgs().maxlen(config.maxLength()).nearlyExactTrimming(),
                                entry(rejection, source))
                        .ifNoItem().after(ledger.commandTimeout()).fail()
                        .invoke(id -> {
                            metrics.deadLettered(rejection.error());
                            // Never the fields: they are a tenant's data, and possibly the value that broke the row.
                            Log.warnf("Usage entry %s (%s) cannot be recorded (%s, SQLSTATE %s, %s); "
                                    + "dead-lettered as %s",
                                    rejection.entry().streamId() == null ? "#" + rejection.index()
                                            : rejection.entry().streamId(),
                                    source, rejection.error().kind(), rejection.error().sqlState(),
                                    rejection.error().exception(), id);
                        }))
                .collect().asList();
    }

    /**
     * Up to {@code count} entries after the id {@code after} (exclusive; null: from the start) in the given order,
     * and none newer than {@code upTo} (null: no bound).
     */
    public Uni<List<DeadLetter>> page(boolean newestFirst, String after, String upTo, int count) {
        Uni<List<StreamMessage<String, String, String>>> read = newestFirst
                // XREVRANGE takes the higher bound first
                ? commands.xrevrange(config.stream(), StreamRange.of(after == null ? bound(upTo, "+") : "(" + after,
                        "-"), count)
                : commands.xrange(config.stream(), StreamRange.of(after == null ? "-" : "(" + after,
                        bound(upTo, "+")), count);
        return read.ifNoItem().after(ledger.commandTimeout()).fail()
                .map(messages -> messages.stream().map(this::deadLetter).toList());
    }

    /** The entry with this id, or null. */
    public Uni<DeadLetter> find(String id) {
        return commands.xrange(config.stream(), StreamRange.of(id, id), 1)
                .ifNoItem().after(ledger.commandTimeout()).fail()
                .map(messages -> messages.isEmpty() ? null : deadLetter(messages.get(0)));
    }

    /** The newest entry's id, or null when the stream is empty. */
    public Uni<String> newestId() {
        return page(true, null, null, 1).map(newest -> newest.isEmpty() ? null : newest.get(0).id());
    }

    /** @return whether the entry existed */
    public Uni<Boolean> delete(String id) {
        return commands.xdel(config.stream(), id)
                .ifNoItem().after(ledger.commandTimeout()).fail()
                .map(deleted -> deleted > 0);
    }

    /**
     * Puts the entry's original fields back at the end of the usage stream, then deletes it here: in this order, a
     * failure in between leaves it in both, and the ledger records it once (idempotent on the request id). An
     * entry that is still bad comes back here with a new id.
     *
     * @return its new id in the usage stream
     */
    public Uni<String> requeue(DeadLetter letter) {
        return commands.xadd(ledger.stream(), letter.fields())
                .ifNoItem().after(ledger.commandTimeout()).fail()
                .call(() -> delete(letter.id()));
    }

    /** Entries in the stream (XLEN). */
    public Uni<Long> length() {
        return commands.xlen(config.stream()).ifNoItem().after(ledger.commandTimeout()).fail();
    }

    private Map<String, String> entry(Rejection rejection, String source) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(ORIGINAL_ID, rejection.entry().streamId() == null ? "" : rejection.entry().streamId());
        entry.put(SOURCE, source);
        entry.put(ERROR, rejection.error().kind());
        entry.put(SQLSTATE, rejection.error().sqlState() == null ? "" : rejection.error().sqlState());
        entry.put(EXCEPTION, rejection.error().exception());
        entry.put(DEAD_LETTERED_AT, Long.toString(clock.millis()));
        try {
            entry.put(FIELDS, mapper.writeValueAsString(rejection.entry().fields()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings is always JSON", e);
        }
        return entry;
    }

    /** Reads an entry leniently: the stream is writable by anyone with Redis access, and listing must not fail. */
    private DeadLetter deadLetter(StreamMessage<String, String, String> message) {
        Map<String, String> entry = message.payload() == null ? Map.of() : message.payload();
        return new DeadLetter(message.id(), emptyToNull(entry.get(ORIGINAL_ID)), entry.get(SOURCE),
                instant(entry.get(DEAD_LETTERED_AT)),
                new RowError(entry.get(ERROR), emptyToNull(entry.get(SQLSTATE)), entry.get(EXCEPTION)),
                fields(entry.get(FIELDS)));
    }

    private Map<String, String> fields(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return mapper.readValue(json, FIELD_MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static Instant instant(String millis) {
        try {
            return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String bound(String id, String open) {
        return id == null ? open : id;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
