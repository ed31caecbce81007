package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * Provider failures seen by a client of the gateway: sim-provider's faults on one deployment of {@code sim-gpt}
 * while the client talks only to the gateway. The orchestrator gets a test catalogue in which the two deployments
 * have distinct upstream models (so a fault rule can target one), a fixed preference and short waits; the gateway
 * gets two connections to the orchestrator and room for one request waiting for them.
 */
class GatewayFaultToleranceIT {
    private static final String ADMIN_TOKEN = "e2e-fault-admin-token";
    private static final String TEST_CATALOGUE = """
            config_ordinal=275
            sluice.catalog.models.sim-gpt.deployments[0].upstream-model=sim-gpt-a
            sluice.catalog.models.sim-gpt.deployments[1].upstream-model=sim-gpt-b
            sluice.catalog.models.sim-gpt.deployments[1].priority=1
            sluice.catalog.defaults.first-token-timeout=1s
            sluice.routing.initial-backoff=50ms
            sluice.routing.max-backoff=200ms
            sluice.routing.circuit-breaker.delay=2s
            sluice.orchestrator.max-connections=2
            sluice.orchestrator.max-waiting=1
            """;

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static String key;
    private static String sim;
    private static String orchestratorAdmin;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startSuite() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("sluice-e2e-faults-");
        Path catalogue = Files.writeString(state.resolve("test-catalogue.properties"), TEST_CATALOGUE);
        suite = new LocalSuite(root, state);
        started = suite.up(SuitePorts.free(), ADMIN_TOKEN, Map.of("QUARKUS_CONFIG_LOCATIONS", catalogue.toString()));
        QuotaAdmin admin = started.admin();
        key = admin.issueKey(admin.createTenant("faults", "ENTERPRISE"), "faults").key();
        sim = "http://127.0.0.1:" + started.ports().sim();
        orchestratorAdmin = "http://127.0.0.1:" + started.ports().orchestrator() + "/admin/circuit-breakers";
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @BeforeEach
    void healthyProviders() {
        given().delete(sim + "/sim/rules");
        given().header("authorization", "Bearer " + ADMIN_TOKEN).post(orchestratorAdmin + "/reset-all")
                .then().statusCode(org.hamcrest.Matchers.lessThan(300));
        given().post(sim + "/sim/stats/reset");
    }

    @Test
    void a503StormOpensTheBreakerMovesTrafficToTheSiblingAndNoClientSeesA5xx() throws Exception {
        rule("sim-gpt-a", "status=503");
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> answer = chat(false);
            assertEquals(200, answer.statusCode(), answer.body());
        }
        assertEquals("OPEN", breakerState("sim-gpt-a"));
        assertEquals(5, simRequests("sim-gpt-a"), "the breaker opened after the configured 5 failures");

        given().delete(sim + "/sim/rules");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            assertEquals(200, chat(false).statusCode());
            return "CLOSED".equals(breakerState("sim-gpt-a"));
        });
    }

    @Test
    void retryAfterKeepsEveryCallAwayFromTheDeploymentUntilItHasPassed() throws Exception {
        rule("sim-gpt-a", "status=429;retry-after=2", 1);
        long before = System.nanoTime();
        assertEquals(200, chat(false).statusCode());
        int sent = 0;
        // Requests sent within 1.5 s of an instant before the 429 are inside its 2 s cool-down on any machine.
        while (System.nanoTime() - before < Duration.ofMillis(1500).toNanos() && sent < 300) {
            assertEquals(200, chat(false).statusCode());
            sent++;
        }
        assertTrue(sent > 0);
        assertEquals(1, simRequests("sim-gpt-a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> chat(false).statusCode() == 200 && simRequests("sim-gpt-a") > 1);
    }

    @Test
    void aNonRetryable400MakesExactlyOneUpstreamCall() throws Exception {
        rule("sim-gpt-a", "status=400", 1);
        HttpResponse<String> answer = chat(false);
        assertEquals(400, answer.statusCode());
        assertEquals("invalid_request_error", JsonPath.from(answer.body()).getString("error.type"));
        assertEquals(1, simRequests("sim-gpt-a"));
        assertEquals(0, simRequests("sim-gpt-b"));
    }

    @Test
    void aFirstTokenSlowerThanTheTimeoutIsAnsweredByTheSiblingAndTheSlowConnectionIsClosed() throws Exception {
        rule("sim-gpt-a", "ttft=5000", 1);
        HttpResponse<String> answer = chat(true);
        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().strip().endsWith("data: [DONE]"));
        assertEquals("sim-gpt-b", awaitLedgerRow(answer).getString("deployment"));
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get(sim + "/sim/stats").jsonPath().getInt("cancelled") >= 1);
    }

    @Test
    void aStreamCutAfterThreeChunksEndsWithAnErrorEventAndIsBilledForWhatWasDelivered() throws Exception {
        rule("sim-gpt-a", "disconnect-after=3", 1);
        HttpResponse<String> answer = chat(true);
        assertEquals(200, answer.statusCode());
        List<String> events = Arrays.stream(answer.body().split("\n"))
                .filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
        long contentChunks = events.stream()
                .filter(e -> e.contains("\"content\":\"") && !e.contains("\"content\":\"\"")).count();
        assertEquals(3, contentChunks, events.toString());
        assertTrue(events.get(events.size() - 1).startsWith("{\"error\""), events.toString());
        assertFalse(events.contains("[DONE]"));

        JsonPath row = awaitLedgerRow(answer);
        assertEquals("incomplete", row.getString("outcome"));
        assertEquals(3, row.getInt("completion_tokens"));
    }

    @Test
    void aClientThatLeavesBeforeTheAnswerCancelsTheCallAndIsRecordedAs499NotAsAServerError() throws Exception {
        rule("sim-gpt-a", "ttft=5000", 1);
        double leftBefore = requestsCounted("4xx", "incomplete");
        double serverErrorsBefore = requestsCounted("5xx", null) + requestsCounted("error", null);
        String body = "{\"model\":\"sim-gpt\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        URI gateway = URI.create(started.gatewayUrl());
        try (Socket client = new Socket(gateway.getHost(), gateway.getPort())) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + gateway.getHost()
                    + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            // Leave once the provider holds the call, well before the 1 s first-token timeout would move it on.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> simRequests("sim-gpt-a") == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsCounted("4xx", "incomplete") == leftBefore + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get(sim + "/sim/stats").jsonPath().getInt("cancelled") >= 1);
        assertEquals(serverErrorsBefore, requestsCounted("5xx", null) + requestsCounted("error", null));
        assertEquals(0, simRequests("sim-gpt-b"), "nobody waits for an answer: no fallback");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRequestFindingEveryConnectionBusyAndTheQueueFullIsRefusedAtOnceWith503() throws Exception {
        // Both deployments hold their calls (each given up after the 1 s first-token timeout), so the gateway's two
        // connections to the orchestrator stay busy for seconds.
        rule("sim-gpt-a", "ttft=5000");
        rule("sim-gpt-b", "ttft=5000");
        List<CompletableFuture<HttpResponse<String>>> holding = List.of(chatAsync(), chatAsync());
        await().atMost(Duration.ofSeconds(5)).until(() -> simRequests("sim-gpt-a") == 2);
        List<CompletableFuture<HttpResponse<String>>> arriving = List.of(chatAsync(), chatAsync());
        // One of the two takes the queue's only place, the other is refused without waiting.
        HttpResponse<String> refused = (HttpResponse<String>) CompletableFuture.anyOf(arriving.toArray(CompletableFuture[]::new))
                .get(5, TimeUnit.SECONDS);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("overloaded", JsonPath.from(refused.body()).getString("error.code"));
        assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());
        assertTrue(holding.stream().noneMatch(CompletableFuture::isDone), "the busy calls were still running");

        given().delete(sim + "/sim/rules");
        long refusals = 0;
        for (CompletableFuture<HttpResponse<String>> call : arriving) {
            refusals += call.get(60, TimeUnit.SECONDS).statusCode() == 503 ? 1 : 0;
        }
        assertEquals(1, refusals, "the request that found room in the queue was served once a connection was free");
        for (CompletableFuture<HttpResponse<String>> call : holding) {
            assertTrue(call.get(60, TimeUnit.SECONDS).statusCode() != 503);
        }
    }

    /** The gateway's sluice_requests_total for a status class (and outcome, unless null), over all other labels. */
    private static double requestsCounted(String statusClass, String outcome) {
        String metrics = given().get(started.managementUrl("gateway-service") + "/q/metrics").then().statusCode(200)
                .extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("sluice_requests_total{"))
                .filter(line -> line.contains("status_class=\"" + statusClass + "\""))
                .filter(line -> outcome == null || line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static HttpResponse<String> chat(boolean stream) throws IOException, InterruptedException {
        return HTTP.send(chatRequest(stream), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> chatAsync() {
        return HTTP.sendAsync(chatRequest(false), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest chatRequest(boolean stream) {
        return HttpRequest.newBuilder(URI.create(started.gatewayUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-gpt\",\"max_tokens\":10,\"stream\":"
                        + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                .build();
    }

    private static void rule(String model, String directives) {
        rule(model, directives, 0);
    }

    private static void rule(String model, String directives, int times) {
        String body = "{\"model\":\"" + model + "\",\"directives\":\"" + directives + "\""
                + (times > 0 ? ",\"times\":" + times : "") + "}";
        given().contentType(ContentType.JSON).body(body).post(sim + "/sim/rules").then().statusCode(201);
    }

    private static int simRequests(String model) {
        Integer count = given().get(sim + "/sim/stats").jsonPath().get("byModel.'" + model + "'");
        return count == null ? 0 : count;
    }

    private static String breakerState(String deployment) {
        return given().header("authorization", "Bearer " + ADMIN_TOKEN).get(orchestratorAdmin + "/" + deployment)
                .then().statusCode(200).extract().jsonPath().getString("state");
    }

    private static JsonPath awaitLedgerRow(HttpResponse<String> answer) {
        return LedgerRows.awaitRow(started, answer.headers().firstValue("x-request-id").orElseThrow());
    }
}
