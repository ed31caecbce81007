package io.sluice.telemetry;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageRecordResourceTest {

    @Test
    void unknownRequestIdIsAnOpenAiStyleNotFound() {
        asGateway().get("/internal/usage/{requestId}", "req-never-seen")
                .then().statusCode(404)
                .contentType(containsString("application/json"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("not_found"))
                .body("error.message", containsString("req-never-seen"));
    }
}
