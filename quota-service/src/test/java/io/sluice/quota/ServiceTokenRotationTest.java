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

/**
 * During a rotation a receiver accepts the current, the previous and the next token, so that while the pods roll,
 * a gateway that still sends the previous token and one that already sends the next are both answered.
 */
@QuarkusTest
@TestProfile(ServiceTokenRotationTest.Rotating.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ServiceTokenRotationTest {

    public static class Rotating implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.service.previous-token", "token-before-the-rotation",
                    "sluice.service.token", "token-of-this-rotation",
                    "sluice.service.next-token", "token-of-the-next-rotation");
        }
    }

    @Test
    void previousCurrentAndNextTokensAreAcceptedAndNoOther() {
        for (String token : new String[] { "token-before-the-rotation", "token-of-this-rotation",
                "token-of-the-next-rotation" }) {
            given().header(ServiceToken.HEADER, "Bearer " + token).get("/internal/ping").then().statusCode(204);
        }
        ServiceToken.assertRefused(given().header(ServiceToken.HEADER, "Bearer test-service-token")
                .get("/internal/ping").then());
        ServiceToken.assertRefused(given().header(ServiceToken.HEADER, "Bearer token-of-this-rotatio")
                .get("/internal/ping").then());
    }
}
