package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** What the usage API accepts and refuses, and who may read across tenants. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageApiRequestTest {

    @ParameterizedTest
    @CsvSource({
        "from, 2025-13-01, invalid_date",
        "from, yesterday, invalid_date",
        "to, 2025-02-30, invalid_date",
        "format, xml, invalid_format"})
    void badParameterIsAnOpenAiStyle400NamingIt(String param, String value, String code) {
        asGateway().queryParam("tenant_id", "tenant-x").queryParam(param, value)
                .get("/internal/usage/report")
                .then().statusCode(400).contentType(containsString("application/json"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo(code))
                .body("error.param", equalTo(param));
    }

    @Test
    void rangeMustBeOrderedAndAtMostAYear() {
        asGateway().queryParam("tenant_id", "t").queryParam("from", "2025-03-02").queryParam("to", "2025-03-01")
                .get("/internal/usage/report").then().statusCode(400).body("error.code", equalTo("invalid_date_range"));
        asGateway().queryParam("tenant_id", "t").queryParam("from", "2024-01-01").queryParam("to", "2025-01-01")
                .get("/internal/usage/report").then().statusCode(400).body("error.code", equalTo("invalid_date_range"));
        asGateway().queryParam("tenant_id", "t").queryParam("from", "2024-01-01").queryParam("to", "2024-12-31")
                .get("/internal/usage/report").then().statusCode(200);
    }

    @Test
    void tenantIsRequired() {
        asGateway().get("/internal/usage/report")
                .then().statusCode(400).body("error.param", equalTo("tenant_id"));
    }

    @Test
    void defaultRangeIsThisMonthSoFar() {
        LocalDate today = LedgerFixture.today();
        asGateway().queryParam("tenant_id", "tenant-without-usage").get("/internal/usage/report")
                .then().statusCode(200)
                .body("from", equalTo(today.withDayOfMonth(1).toString()))
                .body("to", equalTo(today.toString()))
                .body("data.size()", equalTo(0))
                .body("total.requests", equalTo(0))
                .body("projected_month_end_cost_usd", notNullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "/admin/usage", "/admin/usage/components" })
    void adminReportsRefuseCallsWithoutTheAdminToken(String path) {
        given().get(path).then().statusCode(401).body("error.type", equalTo("authentication_error"));
        given().header("Authorization", "Bearer not-the-admin-token").get(path).then().statusCode(401);
        given().header("Authorization", LedgerFixture.ADMIN).get(path).then().statusCode(200);
    }

    @Test
    void rollupNeedsTheAdminToken() {
        given().post("/admin/usage/rollups").then().statusCode(401);
    }

    @Test
    void adminReportValidatesItsParameters() {
        given().header("Authorization", LedgerFixture.ADMIN).queryParam("group_by", "key")
                .get("/admin/usage").then().statusCode(400).body("error.param", equalTo("group_by"));
        given().header("Authorization", LedgerFixture.ADMIN).queryParam("from", "01/02/2025")
                .get("/admin/usage/components").then().statusCode(400).body("error.param", equalTo("from"));
    }
}
