package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;

/** A request's row in the usage ledger, read from telemetry-service's /internal/usage as the gateway reads it. */
final class LedgerRows {
    private LedgerRows() {
    }

    /** Waits (at most 30 s) until the row of {@code requestId} has landed, and returns it. */
    static JsonPath awaitRow(LocalSuite.Started started, String requestId) {
        String url = "http://127.0.0.1:" + started.ports().telemetry() + "/internal/usage/" + requestId;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().header("authorization", started.serviceAuthorization()).get(url)
                        .statusCode() == 200);
        return given().header("authorization", started.serviceAuthorization()).get(url).then().statusCode(200)
                .extract().jsonPath();
    }
}
