package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.chat;
import static io.sluice.testsupport.quarkus.ServiceToken.assertRefused;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sluice.sim.SimProvider;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.quarkus.ServiceToken;
import io.sluice.testsupport.quarkus.SimProviderTestResource;

/**
 * The orchestrator's /v1 is for the gateway alone: without the service token nothing reaches a provider (no tokens
 * spent outside quotas and the ledger), whoever can reach the port.
 */
@QuarkusTest
@QuarkusTestResource(value = SimProviderTestResource.class,
        initArgs = @ResourceArg(name = "property", value = "sluice.sim.base-url"))
@QuarkusTestResource(RedisTestResource.class)
class ServiceTokenGuardTest {
    private static final String CHAT = "{\"model\":\"sim-gpt\",\"stream\":%s,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    @InjectStore
    SimProvider sim;

    @Test
    void aChatCompletionWithoutTheServiceTokenNeverReachesTheProvider() {
        SimFaults faults = new SimFaults(sim);
        int servedBefore = faults.requestsFor("sim-gpt-a");
        for (RequestSpecification caller : new RequestSpecification[] { given(),
                given().header(ServiceToken.HEADER, ServiceToken.authorization() + "x"),
                given().header(ServiceToken.HEADER, SimFaults.ADMIN) }) {
            assertRefused(caller.contentType(ContentType.JSON).body(CHAT.formatted(false))
                    .post("/v1/chat/completions").then());
            assertRefused(caller.contentType(ContentType.JSON).body(CHAT.formatted(true))
                    .post("/v1/chat/completions").then());
        }
        assertEquals(servedBefore, faults.requestsFor("sim-gpt-a"), "a refused call reached the provider");

        chat("sim-gpt", false).then().statusCode(200).body("object", equalTo("chat.completion"));
        chat("sim-gpt", true).then().statusCode(200);
        assertEquals(servedBefore + 2, faults.requestsFor("sim-gpt-a"));
    }

    @Test
    void everyOtherPathUnderV1IsGuardedToo() {
        assertRefused(given().contentType(ContentType.JSON).body("{\"model\":\"sim-embed\",\"input\":\"a\"}")
                .post("/v1/embeddings").then());
        assertRefused(given().get("/v1/models").then());
        // 401 rather than 404: a caller without the credential learns nothing about which paths exist.
        assertRefused(given().get("/v1/not-a-path").then());
        ServiceToken.asGateway().get("/v1/models").then().statusCode(200);
    }

    @Test
    void theAdminApiKeepsItsOwnTokenAndHealthIsNotOnTheServicePort() {
        given().header("Authorization", SimFaults.ADMIN).get("/admin/circuit-breakers").then().statusCode(200);
        ServiceToken.asGateway().get("/admin/circuit-breakers").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }
}
