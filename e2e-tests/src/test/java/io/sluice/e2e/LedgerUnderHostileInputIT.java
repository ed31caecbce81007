package io.sluice.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * No client can stop the ledger for everybody else: an arbitrary string (control characters, NUL, lone surrogates,
 * non-BMP characters, 5,000 characters, bytes that are not UTF-8) or a value of the wrong type, put into any one field a client sends to chat
 * completions, embeddings or Anthropic messages, from a key with room in its quota or from a FREE key over it, gets
 * an answer that is not a server error, and afterwards another tenant's ordinary request reaches the ledger within
 * seconds, the attacker's own request is there exactly once, and the consumer group has nothing pending.
 *
 * <p>A property over random inputs ({@link HostileInputs}) rather than a list of examples: the seed is random per run
 * and named in every failure; {@code -Dsluice.hostile.seed=<seed>} replays a run, {@code -Dsluice.hostile.tries}
 * sets its length. The first failure ends the run: once the ledger has stalled, every later try fails as well.
 */
class LedgerUnderHostileInputIT {
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(30);
    private static final Duration LEDGER_WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static Connection ledger;
    private static String attackerKey;
    private static String overQuotaKey;
    private static String bystanderKey;

    @BeforeAll
    static void startSuite() throws IOException, SQLException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-hostile-"));
        started = suite.up(SuitePorts.free(), null);
        QuotaAdmin admin = started.admin();
        attackerKey = admin.issueKey(admin.createTenant("hostile-" + UUID.randomUUID(), "ENTERPRISE"), "a").key();
        overQuotaKey = admin.issueKey(admin.createTenant("hostile-free-" + UUID.randomUUID(), "FREE"), "f").key();
        bystanderKey = admin.issueKey(admin.createTenant("bystander-" + UUID.randomUUID(), "ENTERPRISE"), "b").key();
        // The FREE plan allows 10 requests a minute: from here on, most of this key's requests are refused (429),
        // and a refusal is recorded in the ledger like any other request.
        for (int i = 0; i < 10; i++) {
            ChatCalls.chat(started.gatewayUrl(), overQuotaKey);
        }
        ledger = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + started.ports().postgres() + "/"
                + EmbeddedPostgresStore.DATABASE, EmbeddedPostgresStore.USER, "postgres");
    }

    @AfterAll
    static void stopSuite() throws SQLException {
        if (ledger != null) {
            ledger.close();
        }
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    void aHostileFieldNeitherFailsTheGatewayNorStallsTheLedger() throws Exception {
        long seed = Long.getLong("sluice.hostile.seed", new Random().nextLong());
        int tries = Integer.getInteger("sluice.hostile.tries", 250);
        HostileInputs inputs = new HostileInputs(seed);
        for (int i = 1; i <= tries; i++) {
            HostileInputs.Field field = inputs.field();
            Object value = inputs.value();
            boolean fromOverQuotaKey = inputs.coin();
            String context = "try " + i + " of seed " + seed + " (-Dsluice.hostile.seed=" + seed + "): " + field
                    + " = " + HostileInputs.describe(value) + (fromOverQuotaKey ? " from a key over its quota" : "");
            hostileRequestLeavesTheLedgerRunning(field, value, fromOverQuotaKey ? overQuotaKey : attackerKey, context);
        }
    }

    private static void hostileRequestLeavesTheLedgerRunning(HostileInputs.Field field, Object value, String key,
            String context) throws Exception {
        HttpResponse<String> answer;
        try {
            answer = post(field.path(), key, field.bodyWith(value));
        } catch (HttpTimeoutException e) {
            throw new AssertionError(context + ": no answer within " + ANSWER_WAIT.toSeconds() + " s", e);
        }
        assertTrue(answer.statusCode() < 500, () -> context + ": answered " + answer.statusCode() + " "
                + answer.body());
        String hostileRequest = answer.headers().firstValue("x-request-id").orElseThrow();

        HttpResponse<String> ordinary = ChatCalls.chat(started.gatewayUrl(), bystanderKey);
        assertEquals(200, ordinary.statusCode(), () -> context + ": another tenant got " + ordinary.body());
        String ordinaryRequest = ordinary.headers().firstValue("x-request-id").orElseThrow();

        await(context).atMost(LEDGER_WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertEquals(1, ledgerRows(ordinaryRequest), "another tenant's request in the ledger");
            assertEquals(1, ledgerRows(hostileRequest), "the hostile request in the ledger, once");
            assertEquals(0, pendingEntries(), "entries the ledger's consumer group has not acknowledged");
        });
    }

    private static HttpResponse<String> post(String path, String key, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(started.gatewayUrl() + path))
                .timeout(ANSWER_WAIT)
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long ledgerRows(String requestId) throws SQLException {
        try (PreparedStatement count = ledger.prepareStatement(
                "SELECT count(*) FROM telemetry.usage_records WHERE request_id = ?")) {
            count.setString(1, requestId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** XPENDING's count for the ledger's consumer group. */
    private static long pendingEntries() {
        try (Jedis redis = new Jedis("127.0.0.1", started.ports().redis())) {
            List<?> summary = (List<?>) redis.sendCommand(Protocol.Command.XPENDING, "sluice:usage", "telemetry");
            return (Long) summary.get(0);
        }
    }
}
