package io.sluice.quota;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.quarkus.ServiceToken;

/** Without a configured service token /internal stays closed rather than open; the admin API is not affected. */
@QuarkusTest
@TestProfile(ServiceTokenUnsetTest.NoServiceToken.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ServiceTokenUnsetTest {

    public static class NoServiceToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.service.token", "");
        }
    }

    @Test
    void everyInternalCallIsRefused() {
        for (String authorization : new String[] { "Bearer test-service-token", "Bearer ", "Bearer null", "" }) {
            ServiceToken.assertRefused(given().header(ServiceToken.HEADER, authorization)
                    .get("/internal/keys/" + "0".repeat(64)).then());
        }
        ServiceToken.assertRefused(given().get("/internal/ping").then());
        AdminRequests.asAdmin().get("/admin/plans").then().statusCode(200);
    }
}
