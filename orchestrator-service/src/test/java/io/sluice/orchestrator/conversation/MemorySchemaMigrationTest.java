package io.sluice.orchestrator.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.stores.FreePort;
import io.vertx.core.Vertx;

/**
 * The orchestrator starts while PostgreSQL is down (chat needs no database) and migrates schema memory once it
 * comes up.
 */
class MemorySchemaMigrationTest {

    @Test
    void aFailedStartUpMigrationDoesNotStopTheServiceAndIsRetriedUntilPostgresAnswers() throws Exception {
        int port = FreePort.pick();
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedPostgresStore.DATABASE;
        Flyway flyway = Flyway.configure()
                .dataSource(jdbcUrl, EmbeddedPostgresStore.USER, EmbeddedPostgresStore.USER)
                .schemas("memory").defaultSchema("memory").locations("db/migration")
                .connectRetries(0).load();
        Vertx vertx = Vertx.vertx();
        EmbeddedPostgresStore postgres = null;
        try {
            MemorySchemaMigration migration = new MemorySchemaMigration(flyway, vertx, config());
            migration.onStart(null); // returns although nothing listens on the port
            assertFalse(migration.migrated());

            postgres = EmbeddedPostgresStore.start(port);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(migration::migrated);
            try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresStore.USER,
                    EmbeddedPostgresStore.USER);
                    ResultSet tables = connection.createStatement().executeQuery("SELECT count(*) FROM "
                            + "information_schema.tables WHERE table_schema = 'memory' AND table_name IN "
                            + "('responses', 'conversations', 'conversation_items')")) {
                tables.next();
                assertEquals(3, tables.getInt(1));
            }
            assertTrue(migration.migrated());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static MemoryConfig config() {
        return new MemoryConfig() {
            public Duration hotTtl() {
                return Duration.ofHours(1);
            }

            public Duration retentionInterval() {
                return Duration.ofMinutes(10);
            }

            public int retentionBatchSize() {
                return 500;
            }

            public Duration dbTimeout() {
                return Duration.ofSeconds(2);
            }

            public Duration redisTimeout() {
                return Duration.ofMillis(500);
            }

            public boolean migrateAtStart() {
                return true;
            }

            public Duration migrateRetry() {
                return Duration.ofMillis(200);
            }
        };
    }
}
