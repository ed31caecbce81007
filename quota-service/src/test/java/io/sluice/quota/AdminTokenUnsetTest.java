package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** Without a configured admin token the admin API stays closed rather than open. */
@QuarkusTest
@TestProfile(AdminTokenUnsetTest.NoAdminToken.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class AdminTokenUnsetTest {

    public static class NoAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.admin.token", "");
        }
    }

    @Test
    void everyAdminCallIsRefused() {
        for (String authorization : new String[] { "Bearer test-admin-token", "Bearer ", "Bearer null" }) {
            given().header("Authorization", authorization).get("/admin/tenants").then()
                    .statusCode(401)
                    .body("error.type", is("authentication_error"));
        }
        given().get("/admin/tenants").then().statusCode(401);
    }

    @Test
    void internalLookupAndHealthStillWork() {
        given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200);
        asGateway().get("/internal/keys/" + "0".repeat(64)).then().statusCode(404);
    }
}
