package io.sluice.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.TransactionalStreamCommands;
import io.quarkus.redis.datasource.stream.XClaimArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.redis.datasource.transactions.TransactionResult;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.sluice.contracts.UsageEvent;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/** Writes usage events as the gateway does and reads the ledger table directly, for the ledger tests. */
final class LedgerFixture {
    static final String GROUP = "telemetry";
    static final String ADMIN = "Bearer test-admin-token";
    /** The default sluice.ledger.dead-letter.stream. */
    static final String DEAD_LETTERS = "sluice:usage:dead";

    private final RedisDataSource redis;
    private final EmbeddedPostgresStore postgres;

    LedgerFixture(RedisDataSource redis, EmbeddedPostgresStore postgres) {
        this.redis = redis;
        this.postgres = postgres;
    }

    StreamCommands<String, String, String> stream() {
        return redis.stream(String.class);
    }

    String publish(UsageEvent event) {
        return stream().xadd(UsageEvent.STREAM, event.toFields());
    }

    /**
     * Publishes events and, in the same MULTI/EXEC, has {@code consumer} of the group read them: as a replica that
     * read them and crashed (or still works on them) before the service's own consumer could see them. Recorded
     * entries are deleted from the stream, so this is the only way to leave entries pending with another replica.
     *
     * @return the entries' ids, in the order of {@code events}
     */
    List<String> publishHeldBy(String consumer, List<UsageEvent> events) {
        TransactionResult result = redis.withTransaction(tx -> {
            TransactionalStreamCommands<String, String, String> stream = tx.stream(String.class);
            events.forEach(event -> stream.xadd(UsageEvent.STREAM, event.toFields()));
            stream.xreadgroup(GROUP, consumer, UsageEvent.STREAM, ">", new XReadGroupArgs().count(events.size()));
        });
        List<String> ids = IntStream.range(0, events.size()).mapToObj(i -> (String) result.get(i)).toList();
        List<StreamMessage<String, String, String>> read = result.get(events.size());
        assertTrue(read.stream().map(StreamMessage::id).toList().containsAll(ids), consumer + " holds them all");
        return ids;
    }

    /** Makes entries held by {@code consumer} look idle for ten minutes, as a crashed replica's are. */
    void ageHeld(String consumer, List<String> ids) {
        stream().xclaim(UsageEvent.STREAM, GROUP, consumer, Duration.ZERO,
                new XClaimArgs().idle(Duration.ofMinutes(10)), ids.toArray(String[]::new));
    }

    long pendingCount() {
        return stream().xpending(UsageEvent.STREAM, GROUP).getPendingCount();
    }

    /** The fields of the dead-letter entry of the usage stream entry {@code originalId}, or null if there is none. */
    Map<String, String> deadLetterOf(String originalId) {
        StreamMessage<String, String, String> entry = deadLetterEntryOf(originalId);
        return entry == null ? null : entry.payload();
    }

    StreamMessage<String, String, String> deadLetterEntryOf(String originalId) {
        return deadLetters().stream()
                .filter(entry -> originalId.equals(entry.payload().get("original_id")))
                .findFirst().orElse(null);
    }

    List<StreamMessage<String, String, String>> deadLetters() {
        return stream().xrange(DEAD_LETTERS, StreamRange.of("-", "+"));
    }

    int rowsWithPrefix(String prefix) throws SQLException {
        return count("SELECT count(*) FROM telemetry.usage_records WHERE request_id LIKE ?", prefix + "%");
    }

    int rowsOfTenant(String tenant) throws SQLException {
        return count("SELECT count(*) FROM telemetry.usage_records WHERE tenant_id = ?", tenant);
    }

    /** Row count of a query with one string parameter. */
    int count(String sql, String parameter) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                return rows.getInt(1);
            }
        }
    }

    int update(String sql, String parameter) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            return statement.executeUpdate();
        }
    }

    /** A statement without parameters, such as DDL. */
    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresStore.USER, EmbeddedPostgresStore.USER);
    }

    static String unique(String purpose) {
        return purpose + "-" + UUID.randomUUID();
    }

    static long millisAt(LocalDate day, int hour) {
        return day.atTime(hour, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
