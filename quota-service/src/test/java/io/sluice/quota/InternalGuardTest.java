package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.adminToken;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.sha256Hex;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static io.sluice.testsupport.quarkus.ServiceToken.assertRefused;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.quarkus.ServiceToken;

/**
 * /internal answers only the Sluice services: the gateway's key lookup needs the service token, whoever else can
 * reach the port (an admin console, Prometheus) gets 401, even with the admin token or an inference key.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class InternalGuardTest {

    @Test
    void theKeyLookupNeedsTheServiceToken() {
        String key = issueKey(createTenant("FREE"), Map.of("name", "guarded")).path("key");
        String path = "/internal/keys/" + sha256Hex(key);

        assertRefused(given().get(path).then());
        assertRefused(given().header(ServiceToken.HEADER, ServiceToken.authorization() + "x").get(path).then());
        assertRefused(given().header(ServiceToken.HEADER, "Bearer " + adminToken()).get(path).then());
        assertRefused(given().header(ServiceToken.HEADER, "Bearer " + key).get(path).then());

        asGateway().get(path).then().statusCode(200).body("plan", is("FREE"));
    }

    @Test
    void anUnknownKeyIsHiddenBehindTheGuardToo() {
        // 401 before 404: a caller without the credential learns nothing about which keys exist.
        assertRefused(given().get("/internal/keys/" + "0".repeat(64)).then());
        asGateway().get("/internal/keys/" + "0".repeat(64)).then().statusCode(404);
    }

    @Test
    void thePingAnswersOnlyTheServices() {
        assertRefused(given().get("/internal/ping").then());
        asGateway().get("/internal/ping").then().statusCode(204);
    }

    @Test
    void theAdminTokenStillOpensOnlyTheAdminApi() {
        asAdmin().get("/admin/plans").then().statusCode(200);
        given().header(ServiceToken.HEADER, ServiceToken.authorization()).get("/admin/plans").then().statusCode(401);
    }
}
