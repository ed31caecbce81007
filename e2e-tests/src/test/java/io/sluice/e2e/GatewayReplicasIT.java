package io.sluice.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.QuotaAdmin.IssuedKey;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * Two gateway replicas sharing one Redis, one orchestrator and one quota-service, as behind a load balancer: a
 * tenant's limit holds exactly across both under a concurrent burst, a large tenant is served from both gateways'
 * quota blocks and still never past its limit, a revoked key is refused by both within seconds, an answer cached
 * through one is served by the other and after a restart (asked again, or rephrased: the semantic index is shared),
 * and no key ever reaches a log. Each test uses a tenant
 * of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayReplicasIT {
    private static final int FREE_REQUESTS_PER_MINUTE = 10;
    private static final String KEY_PREFIX = "sk-sluice-";

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static QuotaAdmin admin;
    /** Every key this class issued or made up, for the log search at the end. */
    private static final List<String> presentedKeys = new CopyOnWriteArrayList<>();

    private record TenantKey(String tenantId, IssuedKey key) {
    }

    @BeforeAll
    static void startSuite() throws Exception {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-replicas-"));
        // a random admin token, as ./sluice up makes
        started = suite.up(SuitePorts.free(2), null, ResponseCacheIT.SLOW_MACHINE);
        admin = started.admin();
        presentedKeys.add(started.demoKey());
        // Warm both gateways (JIT, Redis connection pools, the quota script cached in Redis) on the demo tenant (PRO),
        // so that the burst test measures the shared counter, not a cold start's first Redis round trips.
        List<HttpResponse<String>> warmUp = burst(started.demoKey(), 32);
        assertTrue(warmUp.stream().allMatch(r -> r.statusCode() == 200), "warm-up: " + statuses(warmUp));
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    @Order(1)
    void freeTenantIsAdmittedExactlyItsLimitAcrossTwoGatewaysUnderAConcurrentBurst() throws Exception {
        TenantKey tenant = freeTenant("burst");
        int requests = 5 * FREE_REQUESTS_PER_MINUTE;
        assertEquals(2, started.gatewayUrls().size());

        List<Double> degradedBefore = degradedDecisions();

        List<HttpResponse<String>> responses = burst(tenant.key().key(), requests);

        assertEquals(degradedBefore, degradedDecisions(), "every decision of the burst was taken by Redis (none "
                + "timed out into the local fallback); answers " + statuses(responses));
        List<HttpResponse<String>> admitted = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(requests, admitted.size() + refused.size(), "only 200 and 429 expected, got " + statuses(responses));

        // The burst may straddle a minute boundary: Redis' own counters say which window admitted what.
        Map<Long, Long> perMinute = QuotaCounters.requestsPerMinute(started.ports().redis(), tenant.tenantId());
        assertEquals(admitted.size(), perMinute.values().stream().mapToLong(Long::longValue).sum(),
                "admissions by window " + perMinute);
        perMinute.forEach((minute, count) -> assertTrue(count <= FREE_REQUESTS_PER_MINUTE,
                "window " + minute + " admitted " + count + " of " + FREE_REQUESTS_PER_MINUTE));

        List<Long> remaining = admitted.stream()
                .map(r -> ChatCalls.longHeader(r, "x-ratelimit-remaining-requests")).sorted().toList();
        if (perMinute.size() == 1) {
            assertEquals(FREE_REQUESTS_PER_MINUTE, admitted.size(), "admitted in one window, " + statuses(responses));
            // No two admissions saw the same count: each one was decided atomically against the shared counter.
            assertEquals(IntStream.range(0, FREE_REQUESTS_PER_MINUTE).mapToObj(Long::valueOf).toList(), remaining);
        } else {
            Map<Long, Integer> seen = new HashMap<>();
            remaining.forEach(value -> seen.merge(value, 1, Integer::sum));
            seen.forEach((value, times) -> assertTrue(times <= perMinute.size() && value < FREE_REQUESTS_PER_MINUTE,
                    "remaining " + value + " seen " + times + " times over " + perMinute.size() + " windows"));
        }
        for (HttpResponse<String> answer : admitted) {
            assertEquals(FREE_REQUESTS_PER_MINUTE, ChatCalls.longHeader(answer, "x-ratelimit-limit-requests"));
        }

        for (HttpResponse<String> answer : refused) {
            long retryAfter = ChatCalls.longHeader(answer, "retry-after");
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            JsonPath error = new JsonPath(answer.body());
            assertEquals("rate_limit_exceeded", error.getString("error.code"), answer.body());
            assertFalse(error.getString("error.message").isBlank(), answer.body());
        }
    }

    @Test
    @Order(2)
    void aLargeTenantIsServedFromQuotaBlocksOnBothGatewaysAndNeverPastItsLimit() throws Exception {
        // ENTERPRISE: 1,000 requests a minute, so every decision Redis takes grants a block of 9 more (1%).
        String tenantId = admin.createTenant("replicas-large-" + UUID.randomUUID(), "ENTERPRISE");
        IssuedKey key = admin.issueKey(tenantId, "large");
        presentedKeys.add(key.key());
        int requests = 1_100;
        double blockDecisionsBefore = blockDecisions();

        List<HttpResponse<String>> responses = spread(key.key(), requests, 16);

        long admitted = responses.stream().filter(r -> r.statusCode() == 200).count();
        long refused = responses.stream().filter(r -> r.statusCode() == 429).count();
        assertEquals(requests, admitted + refused, "only 200 and 429 expected, got " + statuses(responses));
        Map<Long, Long> perMinute = QuotaCounters.requestsPerMinute(started.ports().redis(), tenantId);
        perMinute.forEach((minute, count) -> assertTrue(count <= 1_000,
                "window " + minute + " counted " + count + " of 1000"));
        long counted = sum(perMinute);
        // Redis counts a block when it grants it; what a gateway has not spent when the burst ends is under-use,
        // at most one block of 9 per gateway and window.
        assertTrue(admitted <= counted && counted - admitted <= 2L * 9 * perMinute.size(),
                "admitted " + admitted + ", counted in Redis " + perMinute);
        if (perMinute.size() == 1) {
            assertTrue(admitted >= 1_000 - 2 * 9, "admitted " + admitted + " of the 1,000 in one window");
        }
        double fromBlocks = blockDecisions() - blockDecisionsBefore;
        assertTrue(fromBlocks >= admitted / 2.0, fromBlocks + " of " + admitted
                + " admissions came from the gateways' blocks, without a Redis round trip");

        // A reset makes both gateways drop their blocks (counted in the deleted counters; the invalidation is
        // published before the reset is answered): the next request on each is decided in Redis, which counts it
        // and grants a fresh block of 9. Spent from an old block, it would not be counted at all.
        for (int round = 1; round <= 2; round++) {
            admin.resetQuotas(tenantId);
            long countedBefore = sum(QuotaCounters.requestsPerMinute(started.ports().redis(), tenantId));
            for (String gateway : started.gatewayUrls()) {
                assertEquals(200, ChatCalls.chat(gateway, key.key()).statusCode());
            }
            assertEquals(countedBefore + 2 * 10,
                    sum(QuotaCounters.requestsPerMinute(started.ports().redis(), tenantId)),
                    "round " + round + ": each gateway's request was decided in Redis with a fresh block");
        }
    }

    @Test
    @Order(3)
    void revokedKeyIsRefusedByBothGatewaysWithinTwoSeconds() {
        TenantKey tenant = freeTenant("revoke");
        for (String gateway : started.gatewayUrls()) {
            assertEquals(200, ChatCalls.chat(gateway, tenant.key().key()).statusCode(),
                    "the key works on " + gateway + ", which now has it cached");
        }

        admin.revokeKey(tenant.key().id());

        await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    for (String gateway : started.gatewayUrls()) {
                        assertEquals(401, ChatCalls.chat(gateway, tenant.key().key()).statusCode(),
                                gateway + " still accepts the revoked key");
                    }
                });
        for (String gateway : started.gatewayUrls()) {
            HttpResponse<String> refused = ChatCalls.chat(gateway, tenant.key().key());
            assertEquals(401, refused.statusCode());
            assertEquals("invalid_api_key", new JsonPath(refused.body()).getString("error.code"));
        }
    }

    @Test
    @Order(3)
    void anAnswerCachedThroughOneGatewayIsServedByTheOtherAndAfterARestartExactlyAndRephrased() {
        String tenantId = admin.createTenant("e2e-cache-" + UUID.randomUUID(), "PRO");
        admin.cacheOn(tenantId, "semantic", 600, "tenant");
        IssuedKey key = admin.issueKey(tenantId, "cache");
        presentedKeys.add(key.key());
        List<String> gateways = started.gatewayUrls();
        String context = "You answer geography questions in one line. Session " + UUID.randomUUID();
        String question = ChatCalls.askedInContext(context, "What is the capital of France?");
        String rephrased = ChatCalls.askedInContext(context, "Tell me the capital city of France.");

        HttpResponse<String> stored = ChatCalls.chat(gateways.get(0), key.key(), question);
        assertEquals("miss", stored.headers().firstValue("x-sluice-cache").orElseThrow());
        HttpResponse<String> onTheOther = ChatCalls.chat(gateways.get(1), key.key(), question);
        assertEquals("hit", onTheOther.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals(stored.body(), onTheOther.body());
        // The question, logged once its answer is stored, is read into the other replica's index at its next lookup:
        // within a second, and 2 s here for a lookup's own time on this shared 2-CPU machine.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertEquals(200, ChatCalls.chat(gateways.get(1), key.key(), rephrased,
                        "cache-control", "only-if-cached").statusCode()));

        suite.stop(SuitePorts.gatewayName(0));
        suite.start(SuitePorts.gatewayName(0));
        HttpResponse<String> afterRestart = ChatCalls.chat(gateways.get(0), key.key(), question);
        assertEquals("hit", afterRestart.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals(stored.body(), afterRestart.body());
        HttpResponse<String> rephrasedAfterRestart = ChatCalls.chat(gateways.get(0), key.key(), rephrased,
                "cache-control", "only-if-cached");
        assertEquals(200, rephrasedAfterRestart.statusCode(), "the index is rebuilt from Redis");
        assertEquals(stored.body(), rephrasedAfterRestart.body());
    }

    /**
     * Exact mode, where each replica decides misses with its presence filter: an entry stored through one replica is
     * announced to the other (a hit there, not a miss decided locally), and a restarted replica loads what Redis
     * holds.
     */
    @Test
    @Order(3)
    void anExactEntryStoredThroughOneGatewayIsAHitOnTheOtherAndAfterItsRestart() {
        String tenantId = admin.createTenant("e2e-exact-" + UUID.randomUUID(), "PRO");
        admin.cacheOn(tenantId, "exact", 600, "tenant");
        IssuedKey key = admin.issueKey(tenantId, "exact");
        presentedKeys.add(key.key());
        List<String> gateways = started.gatewayUrls();
        String question = ChatCalls.askedInContext("Exact cache across replicas " + UUID.randomUUID(),
                "What is the capital of Italy?");
        String otherManagement = started.managementUrl(SuitePorts.gatewayName(1));
        awaitFilterReady(started.managementUrl(SuitePorts.gatewayName(0)));
        awaitFilterReady(otherManagement);
        double decidedLocally = PrometheusScrape.sum(otherManagement, "sluice_cache_presence_filter_misses_total");
        assertEquals(504, ChatCalls.chat(gateways.get(1), key.key(), question, "cache-control", "only-if-cached")
                .statusCode());
        assertEquals(decidedLocally + 1,
                PrometheusScrape.sum(otherManagement, "sluice_cache_presence_filter_misses_total"),
                "before it is stored, the other replica decides the miss without Redis");

        HttpResponse<String> stored = ChatCalls.chat(gateways.get(0), key.key(), question);
        assertEquals("miss", stored.headers().firstValue("x-sluice-cache").orElseThrow());
        // The answer is stored after it was sent: the other replica serves it once the store's announcement arrived.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertEquals(200, ChatCalls.chat(gateways.get(1), key.key(), question,
                        "cache-control", "only-if-cached").statusCode()));
        HttpResponse<String> onTheOther = ChatCalls.chat(gateways.get(1), key.key(), question);
        assertEquals("hit", onTheOther.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals(stored.body(), onTheOther.body());

        suite.stop(SuitePorts.gatewayName(1));
        suite.start(SuitePorts.gatewayName(1));
        awaitFilterReady(otherManagement);
        HttpResponse<String> afterRestart = ChatCalls.chat(gateways.get(1), key.key(), question);
        assertEquals("hit", afterRestart.headers().firstValue("x-sluice-cache").orElseThrow(),
                "the restarted replica's filter was loaded from Redis");
        assertEquals(stored.body(), afterRestart.body());
    }

    private static void awaitFilterReady(String managementUrl) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertEquals(1.0, PrometheusScrape.sum(managementUrl, "sluice_cache_presence_filter_ready")));
    }

    @Test
    @Order(4)
    void noKeyAppearsInAnyLog() throws IOException {
        // Keys used successfully, revoked and then presented again, and one that was never issued.
        TenantKey tenant = freeTenant("secrecy");
        IssuedKey revoked = admin.issueKey(tenant.tenantId(), "secrecy-revoked");
        presentedKeys.add(revoked.key());
        String neverIssued = KEY_PREFIX + randomSecret();
        presentedKeys.add(neverIssued);
        for (String gateway : started.gatewayUrls()) {
            assertEquals(200, ChatCalls.chat(gateway, tenant.key().key()).statusCode());
            assertEquals(200, ChatCalls.chat(gateway, revoked.key()).statusCode());
            assertEquals(401, ChatCalls.chat(gateway, neverIssued).statusCode());
        }
        admin.revokeKey(revoked.id());
        for (String gateway : started.gatewayUrls()) {
            ChatCalls.chat(gateway, revoked.key());
        }

        List<Path> logs = suite.logFiles();
        List<String> services = new ArrayList<>(List.of("quota-service", "telemetry-service", "orchestrator-service"));
        services.addAll(started.ports().gatewayNames());
        for (String service : services) {
            Path log = suite.logFile(service);
            assertTrue(logs.contains(log) && Files.size(log) > 0, "no log written by " + service + " at " + log);
        }
        for (Path log : logs) {
            String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
            for (int i = 0; i < presentedKeys.size(); i++) {
                assertFalse(text.contains(secretPart(presentedKeys.get(i))),
                        log.getFileName() + " contains presented key #" + i + " (in plaintext)");
            }
            assertFalse(text.contains(started.adminToken()), log.getFileName() + " contains the admin token");
        }
    }

    /** {@code requests} chat completions on one key, one client thread each, released at once, alternating gateways. */
    private static List<HttpResponse<String>> burst(String key, int requests) throws Exception {
        return spread(key, requests, requests);
    }

    /**
     * {@code requests} chat completions on one key from {@code clients} client threads, alternating gateways; none
     * starts before all are queued.
     */
    private static List<HttpResponse<String>> spread(String key, int requests, int clients) throws Exception {
        List<String> gateways = started.gatewayUrls();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String gateway = gateways.get(i % gateways.size());
                answers.add(pool.submit(() -> {
                    go.await();
                    return ChatCalls.chat(gateway, key);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                responses.add(answer.get(120, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sum(Map<Long, Long> perMinute) {
        return perMinute.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Quota decisions both gateways admitted from their quota blocks. */
    private static double blockDecisions() {
        return started.ports().gatewayNames().stream().map(started::managementUrl)
                .mapToDouble(gateway -> PrometheusScrape.sum(gateway, "sluice_quota_block_decisions_total")).sum();
    }

    /** The degraded-decisions counter of each gateway, in order. */
    private static List<Double> degradedDecisions() {
        return started.ports().gatewayNames().stream().map(started::managementUrl)
                .map(gateway -> PrometheusScrape.sum(gateway, "sluice_quota_degraded_decisions_total")).toList();
    }

    @Test
    @Order(100)
    void downStopsBothReplicasAndEverythingElse() {
        SuiteShutdown.assertDownLeavesNothingBehind(suite, List.of("gateway-service", "gateway-service-2"));
    }

    private static TenantKey freeTenant(String purpose) {
        String tenantId = admin.createTenant("e2e-" + purpose + "-" + UUID.randomUUID(), "FREE");
        IssuedKey key = admin.issueKey(tenantId, purpose);
        presentedKeys.add(key.key());
        return new TenantKey(tenantId, key);
    }

    /** The random part of a key, so that a key logged without its well-known prefix is found too. */
    private static String secretPart(String key) {
        return key.startsWith(KEY_PREFIX) ? key.substring(KEY_PREFIX.length()) : key;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<Integer, Long> statuses(List<HttpResponse<String>> responses) {
        Map<Integer, Long> byStatus = new HashMap<>();
        responses.forEach(r -> byStatus.merge(r.statusCode(), 1L, Long::sum));
        return byStatus;
    }
}
