package io.sluice.orchestrator;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.ADMIN;
import static io.sluice.orchestrator.SimFaults.breakerState;
import static io.sluice.orchestrator.SimFaults.chat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.config.RoutingConfig;
import io.sluice.orchestrator.service.DeploymentHealth;

/**
 * Breakers, retries, cool-downs, timeouts and failover against sim-provider faults. In %test, alias sim-gpt prefers
 * deployment sim-gpt-a (upstream model sim-gpt-a) over sim-gpt-b, breakers open after 5 failures for 2 s, the
 * first-token timeout is 1 s and backoffs start at 50 ms.
 */
@QuarkusTest
class FaultToleranceTest extends SimProviderTest {

    @Inject
    ModelCatalog catalog;

    @Inject
    DeploymentHealth health;

    @Inject
    RoutingConfig routing;

    @Test
    void aFailingDeploymentOpensItsBreakerWhileItsSiblingServesEveryRequestThenRecovers() {
        faults.rule("sim-gpt-a", "status=503");
        for (int i = 0; i < 8; i++) {
            chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b");
        }
        assertEquals("OPEN", breakerState("sim-gpt-a"));
        assertEquals(5, faults.requestsFor("sim-gpt-a"), "an open breaker keeps calls away from the deployment");

        faults.clearRules();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            chat("sim-gpt", false).then().statusCode(200);
            return "CLOSED".equals(breakerState("sim-gpt-a"));
        });
        chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-a");
    }

    @Test
    void aHalfOpenBreakerLetsOnlySuccessThresholdProbesThroughAndTheRestGoToTheSibling() throws Exception {
        faults.rule("sim-gpt-a", "status=503");
        for (int i = 0; i < 5; i++) {
            chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b");
        }
        assertEquals("OPEN", breakerState("sim-gpt-a"));
        faults.clearRules();
        // Slow probes (within the 1 s first-token timeout of %test), so that all the concurrent requests below
        // arrive while the probes are still in flight.
        faults.rule("sim-gpt-a", "latency=600");
        Deployment recovering = catalog.find("sim-gpt").orElseThrow().deployments().stream()
                .filter(d -> d.name().equals("sim-gpt-a")).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> health.available(recovering));
        int callsWhileOpen = faults.requestsFor("sim-gpt-a");

        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Response>> answers = IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> chat("sim-gpt", false), clients))
                    .toList();
            for (CompletableFuture<Response> answer : answers) {
                answer.get().then().statusCode(200);
            }
        } finally {
            clients.shutdownNow();
        }

        // success-threshold is 2: two trial calls, not a stampede on a deployment that may still be sick.
        assertEquals(callsWhileOpen + 2, faults.requestsFor("sim-gpt-a"));
        assertEquals("CLOSED", breakerState("sim-gpt-a"), "both probes succeeded");
    }

    @Test
    void retryAfterKeepsCallsAwayFromTheDeploymentUntilItPasses() {
        faults.rule("sim-gpt-a", "status=429;retry-after=2", 1);
        // The 429 arrives after this instant, so the cool-down lasts at least until before + 2 s.
        long before = System.nanoTime();
        chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b");
        given().header("Authorization", ADMIN).get("/admin/circuit-breakers/sim-gpt-a").then()
                .body("coolDownUntil", notNullValue())
                .body("state", equalTo("CLOSED"));

        // Every request sent within 1.5 s of that instant is inside the cool-down, however slow the machine.
        int sent = 0;
        while (System.nanoTime() - before < Duration.ofMillis(1500).toNanos() && sent < 500) {
            chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b");
            sent++;
        }
        assertTrue(sent > 0, "at least one request fell inside the cool-down");
        assertEquals(1, faults.requestsFor("sim-gpt-a"), "nothing reached the deployment while it cooled down");

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            chat("sim-gpt", false).then().statusCode(200);
            return faults.requestsFor("sim-gpt-a") > 1;
        });
    }

    @Test
    void aRejectedRequestIsNeitherRetriedNorSentElsewhere() {
        faults.rule("sim-gpt-a", "status=400");
        chat("sim-gpt", false).then().statusCode(400).body("error.message", notNullValue());
        assertEquals(1, faults.requestsFor("sim-gpt-a"));
        assertEquals(0, faults.requestsFor("sim-gpt-b"));
        assertEquals(0, faults.requestsFor("sim-gpt-mini"));
        assertEquals("CLOSED", breakerState("sim-gpt-a"), "a client error says nothing about the deployment");
    }

    @Test
    void aTransientFailureIsRetriedWithBackoff() {
        faults.rule("sim-gpt-mini", "status=503", 2);
        chat("sim-gpt-mini", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-mini");
        assertEquals(3, faults.requestsFor("sim-gpt-mini"));
    }

    @Test
    void whenEveryDeploymentFailsTheFallbackModelAnswers() {
        faults.rule("sim-gpt-a", "status=502");
        faults.rule("sim-gpt-b", "status=502");
        chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-mini");
    }

    @Test
    void aMalformedAnswerIsReplacedByTheSiblings() {
        faults.rule("sim-gpt-a", "malformed");
        chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b")
                .body("object", equalTo("chat.completion"));
    }

    @Test
    void aSlowFirstTokenIsCancelledAndTheSiblingAnswers() {
        faults.rule("sim-gpt-a", "ttft=5000");
        chat("sim-gpt", true).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b");
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.cancelled() >= 1);
    }

    /**
     * Bodies Anthropic's and Gemini's adapters cannot translate, and the field each one names. A client sending them
     * gets its 400; the deployment never hears of it, so its breaker stays closed for every other tenant.
     */
    private static final List<String[]> MALFORMED_CHATS = List.of(
            new String[] { "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},"
                    + "{\"type\":\"function\",\"function\":{\"description\":\"no name\"}}]}",
                    "tools[1].function.name" },
            new String[] { "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":[\"hi\"]}]}",
                    "messages[0].content[0]" },
            new String[] { "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                    + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":7}]}]}",
                    "messages[1].tool_calls[0].function" },
            new String[] { "{\"model\":\"%s\",\"max_tokens\":\"many\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}]}", "max_tokens" });

    @ParameterizedTest
    @ValueSource(strings = { "sim-claude", "sim-gemini" })
    void malformedRequestsAreRefusedWith400sAndNeverOpenTheDeploymentsBreaker(String model) {
        int requests = routing.circuitBreaker().requestVolumeThreshold() * 2;
        for (int i = 0; i < requests; i++) {
            String[] malformed = MALFORMED_CHATS.get(i % MALFORMED_CHATS.size());
            asGateway().contentType(ContentType.JSON).body(malformed[0].formatted(model)).post("/v1/chat/completions")
                    .then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.param", equalTo(malformed[1]));
        }
        assertEquals("CLOSED", breakerState(model));
        assertEquals(0, faults.requestsFor(model), "nothing the provider could not read was sent to it");
        chat(model, false).then().statusCode(200).header("x-sluice-deployment", model);
    }

    @Test
    void malformedEmbeddingsRequestsAreRefusedWith400sAndNeverOpenTheBreaker() {
        for (int i = 0; i < routing.circuitBreaker().requestVolumeThreshold() * 2; i++) {
            asGateway().contentType(ContentType.JSON).body("{\"model\":\"sim-gemini\",\"input\":[\"a\"],"
                            + "\"dimensions\":\"8\"}")
                    .post("/v1/embeddings").then().statusCode(400).body("error.param", equalTo("dimensions"));
        }
        assertEquals("CLOSED", breakerState("sim-gemini"));
        assertEquals(0, faults.requestsFor("sim-gemini"));
    }

    /**
     * An operator's bad or revoked provider key is the deployment's fault: its breaker counts it and a sibling with
     * a key of its own serves the request; alone, the deployment's tenants get a 502 that quotes nothing of the
     * provider's answer (which may show a masked key), and the deployment is not asked again.
     */
    @Test
    void aRefusedProviderKeyIsTheDeploymentsFaultAndASiblingServes() {
        faults.rule("sim-gpt-a", "status=401");
        for (int i = 0; i < routing.circuitBreaker().requestVolumeThreshold(); i++) {
            chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-b");
        }
        assertEquals(routing.circuitBreaker().requestVolumeThreshold(), faults.requestsFor("sim-gpt-a"),
                "one call per request: never retried after a backoff");
        assertEquals("OPEN", breakerState("sim-gpt-a"));

        faults.rule("sim-gpt-mini", "status=403");
        String message = chat("sim-gpt-mini", false).then().statusCode(502)
                .body("error.code", equalTo("upstream_auth_failed"))
                .body("error.type", equalTo("server_error"))
                .extract().jsonPath().getString("error.message");
        assertFalse(message.contains("Simulated") || message.contains("403"), message);
        assertEquals(1, faults.requestsFor("sim-gpt-mini"));
    }

    @Test
    void aSilentUpstreamTimesOutAfterItsRetriesAndEveryCallIsClosed() {
        faults.rule("sim-gpt-mini", "hang");
        chat("sim-gpt-mini", false).then().statusCode(504).body("error.code", equalTo("upstream_timeout"));
        int attempts = faults.requestsFor("sim-gpt-mini");
        assertEquals(4, attempts, "one call and three retries");
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.cancelled() == attempts);
    }
}
