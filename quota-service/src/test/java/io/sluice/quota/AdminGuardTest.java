package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.adminToken;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** The admin API answers only to the admin token, never to a missing, wrong or inference credential. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class AdminGuardTest {

    @Test
    void missingTokenIsRejected() {
        assertUnauthorized(given().get("/admin/tenants").then());
    }

    @Test
    void wrongTokenIsRejected() {
        assertUnauthorized(given().header("Authorization", "Bearer " + adminToken() + "x")
                .get("/admin/tenants").then());
        assertUnauthorized(given().header("Authorization", "Bearer not-the-admin-token")
                .get("/admin/tenants").then());
    }

    @Test
    void tokenInAnotherSchemeIsRejected() {
        assertUnauthorized(given().header("Authorization", "Basic " + adminToken()).get("/admin/tenants").then());
        assertUnauthorized(given().header("Authorization", adminToken()).get("/admin/tenants").then());
    }

    @Test
    void inferenceKeyIsNotAnAdminToken() {
        String inferenceKey = asAdmin().body(Map.of("name", "app"))
                .post("/admin/tenants/" + createTenant("FREE") + "/keys")
                .then().statusCode(201).extract().path("key");

        assertUnauthorized(given().header("Authorization", "Bearer " + inferenceKey).get("/admin/tenants").then());
    }

    @Test
    void everyAdminRouteIsGuardedIncludingWrites() {
        assertUnauthorized(given().contentType(ContentType.JSON).body(Map.of("name", "intruder", "plan", "FREE"))
                .post("/admin/tenants").then());
        // 401 rather than 404: an unauthenticated caller learns nothing about which ids exist.
        assertUnauthorized(given().get("/admin/tenants/" + UUID.randomUUID()).then());
        assertUnauthorized(given().contentType(ContentType.JSON).body(Map.of())
                .post("/admin/tenants/" + UUID.randomUUID() + "/keys").then());
        assertUnauthorized(given().get("/admin/tenants/" + UUID.randomUUID() + "/keys").then());
        assertUnauthorized(given().delete("/admin/keys/" + UUID.randomUUID()).then());
        assertUnauthorized(given().contentType(ContentType.JSON).body(Map.of("plan", "ENTERPRISE"))
                .patch("/admin/tenants/" + UUID.randomUUID()).then());
        assertUnauthorized(given().contentType(ContentType.JSON).body(Map.of("limits", Map.of()))
                .patch("/admin/keys/" + UUID.randomUUID()).then());
        assertUnauthorized(given().post("/admin/keys/" + UUID.randomUUID() + "/rotate").then());
        assertUnauthorized(given().get("/admin/plans").then());
        assertUnauthorized(given().contentType(ContentType.JSON).body(Map.of("requests_per_minute", 1))
                .put("/admin/plans/FREE").then());
        assertUnauthorized(given().get("/admin/quotas/" + UUID.randomUUID()).then());
        assertUnauthorized(given().post("/admin/quotas/" + UUID.randomUUID() + "/reset").then());
        assertUnauthorized(given().get("/admin/cache/" + UUID.randomUUID()).then());
        assertUnauthorized(given().delete("/admin/cache/" + UUID.randomUUID()).then());

        asAdmin().get("/admin/tenants").then().statusCode(200).body("object", is("list"));
    }

    @Test
    void bearerSchemeNameIsCaseInsensitive() {
        given().header("Authorization", "bearer " + adminToken()).get("/admin/tenants").then().statusCode(200);
    }

    private static void assertUnauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error.type", is("authentication_error"))
                .body("error.code", is("invalid_api_key"))
                .body("error.message", notNullValue());
    }
}
