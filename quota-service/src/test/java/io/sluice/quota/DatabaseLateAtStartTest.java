package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * quota-service starts while PostgreSQL is down (a pod scheduled before its database, an image build recording its
 * AppCDS archive): it is live but not ready, and seeds its plans and becomes ready once the database answers.
 */
@QuarkusTest
@TestProfile(DatabaseLateAtStartTest.DatabaseDownAtStart.class)
class DatabaseLateAtStartTest {
    /** Its own stores instead of the module's shared ones, PostgreSQL stopped while the application starts. */
    public static class DatabaseDownAtStart implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(PostgresTestResource.class,
                            Map.of(PostgresTestResource.DOWN_AT_START, "true")),
                    new TestResourceEntry(RedisTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static final String SEEDING_CHECK = "checks.find { it.name == 'plans seeded' }";

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Inject
    Flyway flyway;

    @Test
    void startsWithoutTheDatabaseAndSeedsThePlansOnceItAnswers() {
        given().get(ManagementInterface.url("/q/health/live")).then().statusCode(200);
        given().get(ManagementInterface.url("/q/health/ready")).then()
                .statusCode(503)
                .body(SEEDING_CHECK + ".status", is("DOWN"))
                .body(SEEDING_CHECK + ".data.error", is("ConnectException"));

        postgres.startServer();
        // What the chart's migration Job does before the services take traffic.
        flyway.migrate();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(ManagementInterface.url("/q/health/ready")).then()
                .statusCode(200)
                .body(SEEDING_CHECK + ".status", is("UP")));
        asAdmin().get("/admin/plans").then()
                .statusCode(200)
                .body("data.name", hasItems("FREE", "BASIC", "PRO", "ENTERPRISE"));
    }
}
