package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static io.sluice.testsupport.quarkus.ServiceToken.assertRefused;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.quarkus.ServiceToken;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * /internal/usage answers only the Sluice services: a peer that reaches the port for another reason (an operator's
 * console for /admin, Prometheus) cannot read any tenant's ledger rows or reports, not even with the admin token.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class InternalGuardTest {

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Test
    void aLedgerRowIsReadOnlyWithTheServiceToken() {
        UsageEvent event = UsageEvent.builder(LedgerFixture.unique("guarded")).tenant("tenant-guarded", "key-1", "PRO")
                .route("sim-gpt", "openai", "sim-gpt-a").tokens(10, 5, 0).timing(12L, 0L)
                .result(200, Outcome.SUCCESS).stream(false).createdAt(System.currentTimeMillis()).build();
        new LedgerFixture(redis, postgres).publish(event);
        String path = "/internal/usage/" + event.requestId();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asGateway().get(path).then().statusCode(200)
                .body("tenant_id", equalTo("tenant-guarded")));
        assertRefused(given().get(path).then());
        assertRefused(given().header(ServiceToken.HEADER, LedgerFixture.ADMIN).get(path).then());
        assertRefused(given().header(ServiceToken.HEADER, ServiceToken.authorization() + "x").get(path).then());
    }

    @Test
    void aTenantsReportIsReadOnlyWithTheServiceToken() {
        String path = "/internal/usage/report?tenant_id=tenant-guarded";
        assertRefused(given().get(path).then());
        assertRefused(given().header(ServiceToken.HEADER, LedgerFixture.ADMIN).get(path).then());
        asGateway().get(path).then().statusCode(200).body("tenant_id", equalTo("tenant-guarded"));
    }

    @Test
    void anUnknownRequestIdIsHiddenBehindTheGuardToo() {
        assertRefused(given().get("/internal/usage/req-never-seen").then());
        asGateway().get("/internal/usage/req-never-seen").then().statusCode(404);
    }

    @Test
    void usageEventsAreTakenOnlyWithTheServiceToken() {
        String none = "{\"events\":[]}";
        assertRefused(given().contentType(ContentType.JSON).body(none).post("/internal/usage/events").then());
        assertRefused(given().header(ServiceToken.HEADER, LedgerFixture.ADMIN).contentType(ContentType.JSON).body(none)
                .post("/internal/usage/events").then());
        asGateway().contentType(ContentType.JSON).body(none).post("/internal/usage/events").then().statusCode(200)
                .body("recorded", equalTo(0));
    }

    @Test
    void healthAndMetricsAreNotServedOnTheServicePort() {
        for (String path : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi" }) {
            given().get(path).then().statusCode(404);
        }
    }
}
