package io.sluice.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * Every answered request ends as exactly one ledger row, whatever restarts in between: PostgreSQL stopped for a
 * minute under load (inference keeps answering; the events wait in the stream), telemetry-service killed under
 * load (its pending events are claimed when it comes back), a gateway stopped with SIGTERM under load (what
 * waits to be written goes before it exits), and one stopped while Redis is down (it hands the events it buffered
 * to telemetry-service).
 */
class LedgerDurabilityIT {
    private static final int CLIENTS = 2;
    /** Two clients pausing 150 ms stay well under the ENTERPRISE plan's 1,000 requests a minute. */
    private static final long PAUSE_MILLIS = 150;
    private static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(60);

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static QuotaAdmin admin;

    @BeforeAll
    static void startSuite() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-ledger-"));
        started = suite.up(SuitePorts.free(), null);
        admin = started.admin();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    void postgresStoppedForAMinuteUnderLoadLosesAndDoublesNothing() throws Exception {
        String key = admin.issueKey(admin.createTenant("e2e-pg-" + UUID.randomUUID(), "ENTERPRISE"), "load").key();
        SteadyLoad load = SteadyLoad.paced(started.gatewayUrl(), key, CLIENTS, 10_000, PAUSE_MILLIS);
        try (load) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 20);
            // Killed outright (SIGKILL), in the middle of whatever batch telemetry is writing.
            suite.stop("postgres");
            long stoppedAt = System.nanoTime();
            int atStop = load.completed();
            await().atMost(POSTGRES_OUTAGE.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> System.nanoTime() - stoppedAt >= POSTGRES_OUTAGE.toNanos()
                            && load.completed() >= atStop + 50);
            suite.start("postgres");
            int atStart = load.completed();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= atStart + 20);
        }
        assertEquals(Map.of(200, load.completed()), load.statuses(),
                "inference keeps answering without PostgreSQL; first other answers: " + load.unexpectedAnswers());
        awaitExactlyOneRowEach(load.requestIds());
    }

    @Test
    void telemetryKilledUnderLoadLosesAndDoublesNothing() throws Exception {
        String key = admin.issueKey(admin.createTenant("e2e-tel-" + UUID.randomUUID(), "ENTERPRISE"), "load").key();
        SteadyLoad load = SteadyLoad.paced(started.gatewayUrl(), key, CLIENTS, 10_000, PAUSE_MILLIS);
        try (load) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 20);
            suite.stop("telemetry-service");
            int atKill = load.completed();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() >= atKill + 50);
            suite.start("telemetry-service");
            int atStart = load.completed();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= atStart + 20);
        }
        assertEquals(Map.of(200, load.completed()), load.statuses(),
                "inference keeps answering without telemetry; first other answers: " + load.unexpectedAnswers());
        awaitExactlyOneRowEach(load.requestIds());
    }

    @Test
    void gatewayStoppedGracefullyUnderLoadLosesNothingItAnswered() throws Exception {
        String key = admin.issueKey(admin.createTenant("e2e-term-" + UUID.randomUUID(), "ENTERPRISE"), "load").key();
        // Unpaced: requests end every few milliseconds, so at the stop some still wait for the write-linger (20 ms)
        // to share a script run. 400 stay below the plan's 1,000 requests a minute.
        SteadyLoad load = SteadyLoad.start(started.gatewayUrl(), key, 4, 400);
        try (load) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 100);
            suite.terminate("gateway-service");
        } finally {
            suite.start("gateway-service");
        }
        // A request cut off by the stop has no answer and needs no row; every answer needs exactly one.
        awaitExactlyOneRowEach(load.requestIds());
    }

    @Test
    void gatewayStoppedDuringARedisOutageHandsWhatItBufferedToTheLedger() throws Exception {
        String key = admin.issueKey(admin.createTenant("e2e-spill-" + UUID.randomUUID(), "ENTERPRISE"), "load").key();
        // Looked up once while everything runs, so the key is in the gateway's cache when Redis goes.
        assertEquals(200, ChatCalls.chat(started.gatewayUrl(), key).statusCode());
        suite.stop("redis");
        Set<String> answered = new HashSet<>();
        try {
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> answer = ChatCalls.chat(started.gatewayUrl(), key);
                assertEquals(200, answer.statusCode(), answer.body());
                answered.add(answer.headers().firstValue("x-request-id").orElseThrow());
            }
            // Without Redis the events wait in the gateway's outage buffer: telemetry cannot have any of them.
            assertEquals(0, ledgerRows(answered));
            // A scale-down: SIGTERM, and the stopping gateway hands its buffer to telemetry-service directly.
            suite.terminate("gateway-service");
            awaitExactlyOneRowEach(answered);
        } finally {
            suite.start("redis");
            suite.start("gateway-service");
        }
    }

    private static void awaitExactlyOneRowEach(Set<String> requestIds) throws SQLException {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertEquals(requestIds.size(), ledgerRows(requestIds),
                        "ledger rows for the " + requestIds.size() + " answered requests"));
        // The request id is unique in the ledger, so equal counts mean one row each: none lost, none doubled.
        assertEquals(requestIds.size(), ledgerRows(requestIds));
    }

    private static long ledgerRows(Set<String> requestIds) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + started.ports().postgres() + "/" + EmbeddedPostgresStore.DATABASE;
        try (Connection db = DriverManager.getConnection(url, EmbeddedPostgresStore.USER, "postgres");
                PreparedStatement count = db.prepareStatement(
                        "SELECT count(*) FROM telemetry.usage_records WHERE request_id = ANY (?)")) {
            count.setArray(1, db.createArrayOf("text", requestIds.toArray()));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
