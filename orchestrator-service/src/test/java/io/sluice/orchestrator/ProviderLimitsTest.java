package io.sluice.orchestrator;

import static io.sluice.orchestrator.SimFaults.chat;
import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.ADMIN;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import io.quarkus.test.common.http.TestHTTPResource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.service.ProviderLimitWindow;
import io.sluice.orchestrator.service.ProviderRateLimiter;
import io.sluice.orchestrator.service.ProviderRateLimiter.Acquisition;
import io.sluice.sim.SimProvider;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.quarkus.ServiceToken;
import io.sluice.testsupport.quarkus.SimProviderTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;
import io.vertx.core.json.JsonObject;

/**
 * Provider quotas counted in Redis and the per-deployment bulkhead. In %test, alias lim has lim-a (preferred) and
 * lim-b at 2 requests per minute each and may wait 75 s; lim-short has lim-short-a at 1 request per minute and waits
 * at most 100 ms; alias leased has leased-a at 1,000 requests per minute, so a replica takes blocks of 10 (1%), and
 * waits at most 100 ms; alias bulk has bulk-a (preferred, one call at a time) and bulk-b; alias hourly has hourly-a
 * at 3 requests an hour (100 a minute) and waits at most 100 ms; alias daily has daily-a (preferred) at 2 requests and
 * a million tokens a day (the OpenAI type's 60 a minute), and daily-b.
 */
@QuarkusTest
@QuarkusTestResource(value = SimProviderTestResource.class,
        initArgs = @ResourceArg(name = "property", value = "sluice.sim.base-url"))
@QuarkusTestResource(RedisTestResource.class)
class ProviderLimitsTest {

    @InjectStore
    SimProvider sim;

    @InjectStore
    EmbeddedRedisStore redisServer;

    @Inject
    RedisDataSource redis;

    @Inject
    ProviderRateLimiter limiter;

    @Inject
    ModelCatalog catalog;

    @TestHTTPResource("/v1/chat/completions")
    java.net.URL chatUrl;

    SimFaults faults;

    @BeforeEach
    void setUp() {
        faults = new SimFaults(sim);
        faults.reset();
        // Every test starts with unused quotas; a connection broken by the outage test may need a retry.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            redis.flushall();
            return true;
        });
        // ...and without blocks of quota this replica took from Redis in an earlier test.
        catalog.deployments().forEach(deployment -> limiter.reset(deployment.name()));
    }

    @AfterEach
    void tearDown() {
        faults.reset();
    }

    @Test
    void anAdmittedCallIsCountedUnderTheDeploymentsKeysForTheCurrentMinuteOfRedisClock() {
        long minute = atLeastSecondsLeftInMinute(5);
        chat("lim-short", false).then().statusCode(200).header("x-sluice-deployment", "lim-short-a");

        String rpmKey = "sluice:pl:{lim-short-a}:rpm:" + minute;
        String tpmKey = "sluice:pl:{lim-short-a}:tpm:" + minute;
        assertEquals(List.of(rpmKey, tpmKey), redis.key().keys("sluice:pl:*").stream().sorted().toList());
        assertEquals(1L, redis.value(Long.class).get(rpmKey));
        long promptEstimate = new JsonObject(chatBody("lim-short")).encode().length() / 4;
        assertEquals(promptEstimate, redis.value(Long.class).get(tpmKey));
        long ttl = redis.key().pttl(rpmKey);
        assertTrue(ttl > 60_000 && ttl <= 120_000, "a counter outlives its window by a minute, not more: " + ttl);
    }

    @Test
    void whenTheFirstDeploymentsQuotaIsUsedUpTrafficMovesToItsSibling() {
        atLeastSecondsLeftInMinute(5);
        List<String> served = List.of(deploymentOf(chat("lim", false)), deploymentOf(chat("lim", false)),
                deploymentOf(chat("lim", false)), deploymentOf(chat("lim", false)));
        assertEquals(List.of("lim-a", "lim-a", "lim-b", "lim-b"), served);
        assertEquals(2, faults.requestsFor("lim-a"));
        assertEquals(2, faults.requestsFor("lim-b"));
    }

    @Test
    void whenEveryQuotaIsUsedUpTheRequestWaitsForTheNextWindowAndIsAnswered() {
        long minute = atLeastSecondsLeftInMinute(5);
        for (int i = 0; i < 4; i++) {
            chat("lim", false).then().statusCode(200);
        }
        double waitsBefore = metric("sluice_provider_limit_waits_total\\{deployment=\"lim-[ab]\"");

        chat("lim", false).then().statusCode(200);

        assertTrue(redisSeconds() / 60 > minute, "answered only once the window turned");
        assertEquals(5, faults.requestsFor("lim-a") + faults.requestsFor("lim-b"));
        assertTrue(metric("sluice_provider_limit_waits_total\\{deployment=\"lim-[ab]\"") > waitsBefore);
    }

    @Test
    void whenTheNextWindowIsFurtherAwayThanTheMaxWaitTheRequestIsRefusedWith429() {
        atLeastSecondsLeftInMinute(5);
        chat("lim-short", false).then().statusCode(200);
        double rejectionsBefore = metric("sluice_provider_limit_rejections_total\\{deployment=\"lim-short-a\"");

        Response refused = chat("lim-short", false);
        refused.then().statusCode(429)
                .body("error.code", equalTo("provider_rate_limited"))
                .body("error.type", equalTo("rate_limit_error"));
        int retryAfter = Integer.parseInt(refused.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After points at the next window: " + retryAfter);
        assertEquals(1, faults.requestsFor("lim-short-a"), "a refused request never reaches the provider");
        assertEquals(rejectionsBefore + 1,
                metric("sluice_provider_limit_rejections_total\\{deployment=\"lim-short-a\""));
    }

    @Test
    void aReplicaTakesABlockOfTheQuotaPerRedisCallAndSpendsItWithoutAskingAgain() {
        long minute = atLeastSecondsLeftInMinute(10);
        String rpmKey = "sluice:pl:{leased-a}:rpm:" + minute;
        String tpmKey = "sluice:pl:{leased-a}:tpm:" + minute;
        long callTokens = new JsonObject(chatBody("leased")).encode().length() / 4;

        chat("leased", false).then().statusCode(200);
        assertEquals(10L, redis.value(Long.class).get(rpmKey), "1% of 1,000 requests per minute");
        assertEquals(10 * callTokens, redis.value(Long.class).get(tpmKey), "tokens for as many calls");

        for (int i = 0; i < 9; i++) {
            chat("leased", false).then().statusCode(200);
        }
        assertEquals(10L, redis.value(Long.class).get(rpmKey), "nine calls spent the block, none asked Redis");
        assertEquals(10 * callTokens, redis.value(Long.class).get(tpmKey));

        chat("leased", false).then().statusCode(200);
        assertEquals(20L, redis.value(Long.class).get(rpmKey), "the eleventh call took the next block");
        assertEquals(11, faults.requestsFor("leased-a"));
    }

    @Test
    void blocksNeverTakeTheReplicasTogetherOverTheQuota() {
        long minute = atLeastSecondsLeftInMinute(10);
        String rpmKey = "sluice:pl:{leased-a}:rpm:" + minute;
        // Other replicas have taken all but 5 of the window's 1,000 requests.
        redis.value(Long.class).set(rpmKey, 995L);

        for (int i = 0; i < 5; i++) {
            chat("leased", false).then().statusCode(200);
        }
        assertEquals(1000L, redis.value(Long.class).get(rpmKey), "the block shrank to what was left");
        chat("leased", false).then().statusCode(429).body("error.code", equalTo("provider_rate_limited"));
        assertEquals(5, faults.requestsFor("leased-a"));
    }

    @Test
    void aFullBulkheadSendsTheConcurrentRequestToTheSibling() {
        faults.rule("bulk-a", "latency=3000");
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> chat("bulk", false));
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.requestsFor("bulk-a") == 1);

        chat("bulk", false).then().statusCode(200).header("x-sluice-deployment", "bulk-b");

        slow.join().then().statusCode(200).header("x-sluice-deployment", "bulk-a");
        chat("bulk", false).then().statusCode(200).header("x-sluice-deployment", "bulk-a");
    }

    @Test
    void aStreamHoldsItsBulkheadSlotUntilItsLastChunkNotOnlyUntilItsFirst() throws Exception {
        faults.rule("bulk-a", "gap=300");
        HttpRequest streamRequest = HttpRequest.newBuilder(chatUrl.toURI())
                .header("content-type", "application/json")
                .header(ServiceToken.HEADER, ServiceToken.authorization())
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"bulk\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}"))
                .build();
        HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(streamRequest,
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body()))) {
            assertEquals("bulk-a", stream.headers().firstValue("x-sluice-deployment").orElseThrow());
            assertTrue(events.readLine().startsWith("data:"), "the first chunk has reached the client");

            // bulk-a takes one call at a time and is still streaming: the next call goes to the sibling.
            chat("bulk", false).then().statusCode(200).header("x-sluice-deployment", "bulk-b");

            String line;
            while ((line = events.readLine()) != null && !line.equals("data: [DONE]")) {
                // read the stream to its end
            }
        }
        faults.clearRules();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> chat("bulk", false).then().statusCode(200)
                .header("x-sluice-deployment", "bulk-a"));
    }

    @Test
    void deploymentsOfEqualPriorityShareTheTrafficByWeight() {
        int calls = 200;
        for (int i = 0; i < calls; i++) {
            chat("weighted", false).then().statusCode(200);
        }
        int heavy = faults.requestsFor("w-heavy");
        int light = faults.requestsFor("w-light");
        assertEquals(calls, heavy + light);
        // Weights 3:1 -> 150 expected on w-heavy; +-30 is five standard deviations of the binomial (n=200, p=.75).
        assertTrue(heavy >= 120 && heavy <= 180, "w-heavy took " + heavy + " of " + calls);
        assertTrue(light > 0, "the lighter deployment gets its share too");
    }

    @Test
    void whileRedisIsDownRequestsAreStillAnsweredTheServiceStaysReadyAndTheLimiterCountsItselfDegraded() {
        double degradedBefore = metric("sluice_provider_limit_degraded_total");
        redisServer.stopServer();
        try {
            chat("sim-gpt", false).then().statusCode(200);
            chat("lim-short", false).then().statusCode(200);
            chat("lim-short", false).then().statusCode(200); // over its quota, but nothing can count it
            // No Redis readiness check: a Redis outage must not take the orchestrator out of the load balancer.
            RestAssured.get(ManagementInterface.url("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            redisServer.startServer();
        }
        assertTrue(metric("sluice_provider_limit_degraded_total") >= degradedBefore + 3);
    }

    @Test
    void aDeploymentWithThreeRequestsAnHourAnswersThreeThenRefusesUntilTheHourTurnsAndTheAdminViewShowsIt() {
        long minute = atLeastSecondsLeftInMinute(10);
        for (int i = 0; i < 3; i++) {
            chat("hourly", false).then().statusCode(200).header("x-sluice-deployment", "hourly-a");
        }
        Response refused = chat("hourly", false);
        long now = redisSeconds();
        refused.then().statusCode(429).body("error.code", equalTo("provider_rate_limited"));
        long toHourTurn = 3600 - now % 3600;
        long retryAfter = Long.parseLong(refused.header("retry-after"));
        assertTrue(Math.abs(retryAfter - toHourTurn) <= 2,
                "Retry-After points at the turn of the hour (" + toHourTurn + " s), not of the minute: " + retryAfter);
        assertEquals(3, faults.requestsFor("hourly-a"), "the fourth request never reached the provider");

        long hour = minute / 60;
        String rpmKey = "sluice:pl:{hourly-a}:rpm:" + minute;
        String rphKey = "sluice:pl:{hourly-a}:rph:" + hour;
        assertEquals(List.of(rphKey, rpmKey), redis.key().keys("sluice:pl:{hourly-a}:*").stream().sorted().toList(),
                "no token and no day window: none is set");
        assertEquals(3L, redis.value(Long.class).get(rpmKey));
        assertEquals(3L, redis.value(Long.class).get(rphKey), "the refused request counted nowhere");
        long ttl = redis.key().pttl(rphKey);
        assertTrue(ttl > 60_000 && ttl <= toHourTurn * 1000 + 60_000, "the hour's counter outlives it by a minute: "
                + ttl);

        String hourTurn = Instant.ofEpochSecond((hour + 1) * 3600).toString();
        given().header("Authorization", ADMIN).get("/admin/provider-limits/hourly-a").then().statusCode(200)
                .body("deployment", equalTo("hourly-a"))
                .body("model", equalTo("hourly"))
                .body("provider", equalTo("openai"))
                .body("limitedForMillis", greaterThan(0))
                .body("windows.window", equalTo(List.of("minute", "hour")))
                .body("windows.find { it.window == 'hour' }.unit", equalTo("requests"))
                .body("windows.find { it.window == 'hour' }.limit", equalTo(3))
                .body("windows.find { it.window == 'hour' }.used", equalTo(3))
                .body("windows.find { it.window == 'hour' }.remaining", equalTo(0))
                .body("windows.find { it.window == 'hour' }.resetsAt", equalTo(hourTurn))
                .body("windows.find { it.window == 'minute' }.limit", equalTo(100))
                .body("windows.find { it.window == 'minute' }.used", equalTo(3));
        given().header("Authorization", ADMIN).get("/admin/provider-limits").then().statusCode(200)
                .body("find { it.deployment == 'hourly-a' }.windows.find { it.window == 'hour' }.used", equalTo(3))
                .body("find { it.deployment == 'bulk-a' }.windows.window",
                        equalTo(List.of("minute", "hour", "day")))
                .body("find { it.deployment == 'bulk-a' }.windows.limit", equalTo(List.of(60, 1000, 10000)))
                .body("deployment", not(hasItem("local-minilm")));
        given().get("/admin/provider-limits").then().statusCode(401);
        given().header("Authorization", ADMIN).get("/admin/provider-limits/nope").then().statusCode(404)
                .body("error.code", equalTo("deployment_not_found"));
    }

    @Test
    void whenADeploymentsDayIsUsedUpTrafficMovesToItsSiblingAndEveryWindowIsCountedInOneCall() {
        long minute = atLeastSecondsLeftInMinute(5);
        long day = minute / 1440;
        List<String> served = List.of(deploymentOf(chat("daily", false)), deploymentOf(chat("daily", false)),
                deploymentOf(chat("daily", false)));
        assertEquals(List.of("daily-a", "daily-a", "daily-b"), served);
        assertEquals(2, faults.requestsFor("daily-a"));

        String rpmKey = "sluice:pl:{daily-a}:rpm:" + minute;
        String rpdKey = "sluice:pl:{daily-a}:rpd:" + day;
        String tpdKey = "sluice:pl:{daily-a}:tpd:" + day;
        assertEquals(List.of(rpdKey, rpmKey, tpdKey),
                redis.key().keys("sluice:pl:{daily-a}:*").stream().sorted().toList());
        long callTokens = new JsonObject(chatBody("daily")).encode().length() / 4;
        assertEquals(2L, redis.value(Long.class).get(rpdKey));
        assertEquals(2L, redis.value(Long.class).get(rpmKey));
        assertEquals(2 * callTokens, redis.value(Long.class).get(tpdKey));
    }

    @Test
    void theScriptRefusesForTheFullWindowThatTurnsLastAndCountsNothingThen() {
        long minute = atLeastSecondsLeftInMinute(5);
        long day = minute / 1440;
        Deployment dailyA = catalog.deployment("daily-a").orElseThrow();
        String rpmKey = "sluice:pl:{daily-a}:rpm:" + minute;
        String rpdKey = "sluice:pl:{daily-a}:rpd:" + day;
        String tpdKey = "sluice:pl:{daily-a}:tpd:" + day;

        redis.value(Long.class).set(rpmKey, 60L); // the OpenAI type's minute is full
        Acquisition minuteFull = limiter.acquire(dailyA, 10).await().indefinitely();
        assertFalse(minuteFull.admitted());
        assertEquals(ProviderLimitWindow.REQUESTS_PER_MINUTE, minuteFull.refusedBy());
        assertTrue(minuteFull.millisToNextWindow() <= 60_000);

        redis.value(Long.class).set(tpdKey, 999_995L); // and the day's tokens have no room for 10 more
        Acquisition bothFull = limiter.acquire(dailyA, 10).await().indefinitely();
        assertFalse(bothFull.admitted());
        assertEquals(ProviderLimitWindow.TOKENS_PER_DAY, bothFull.refusedBy(), "the day turns after the minute");
        long toDayTurn = 86_400_000 - redisSeconds() % 86_400 * 1000;
        assertTrue(Math.abs(bothFull.millisToNextWindow() - toDayTurn) <= 2_000, bothFull.toString());

        redis.value(Long.class).set(rpmKey, 0L);
        Acquisition dayFull = limiter.acquire(dailyA, 10).await().indefinitely();
        assertEquals(ProviderLimitWindow.TOKENS_PER_DAY, dayFull.refusedBy(), "room in the minute is not enough");
        assertEquals(0L, redis.value(Long.class).get(rpmKey), "a refusal counts in no window");
        assertEquals(null, redis.value(Long.class).get(rpdKey));
        assertEquals(999_995L, redis.value(Long.class).get(tpdKey));

        Acquisition fits = limiter.acquire(dailyA, 5).await().indefinitely();
        assertTrue(fits.admitted(), "5 tokens still fit the day");
        assertEquals(1L, redis.value(Long.class).get(rpmKey));
        assertEquals(1L, redis.value(Long.class).get(rpdKey));
        assertEquals(1_000_000L, redis.value(Long.class).get(tpdKey));
    }

    private static String deploymentOf(Response answer) {
        answer.then().statusCode(200);
        return answer.header("x-sluice-deployment");
    }

    private static String chatBody(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":false"
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    }

    private long redisSeconds() {
        return Long.parseLong(redis.execute("TIME").get(0).toString());
    }

    /** Waits, if needed, until the current minute of Redis' clock has the given seconds left; returns the minute. */
    private long atLeastSecondsLeftInMinute(int seconds) {
        await().atMost(Duration.ofSeconds(seconds + 2)).pollInterval(Duration.ofMillis(200))
                .until(() -> 60 - redisSeconds() % 60 >= seconds);
        return redisSeconds() / 60;
    }

    /** Sum of the Prometheus samples whose name and labels start with the pattern; 0 if there is none. */
    private static double metric(String prefixPattern) {
        String text = RestAssured.get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + prefixPattern + "[^ ]* ([0-9.Ee+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
