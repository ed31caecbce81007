package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.uniqueName;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class TenantAdminTest {

    @Test
    void createdTenantCanBeReadBackAndListed() {
        String name = uniqueName("acme");
        Instant before = Instant.now();

        var created = asAdmin().body(Map.of("name", name, "plan", "PRO"))
                .post("/admin/tenants")
                .then().statusCode(201)
                .body("name", is(name))
                .body("plan", is("PRO"))
                .extract();
        Instant after = Instant.now();
        String id = created.path("id");
        UUID.fromString(id);
        Instant createdAt = Instant.parse(created.path("created_at"));
        assertFalse(createdAt.isBefore(before.truncatedTo(ChronoUnit.MICROS)) || createdAt.isAfter(after),
                "created_at is the creation time");

        asAdmin().get("/admin/tenants/" + id).then()
                .statusCode(200)
                .body("id", is(id))
                .body("name", is(name))
                .body("plan", is("PRO"))
                .body("created_at", is(created.<String> path("created_at")));

        asAdmin().get("/admin/tenants").then()
                .statusCode(200)
                .body("object", is("list"))
                .body("data.id", hasItem(id));
    }

    @Test
    void locationHeaderPointsAtTheNewTenant() {
        var response = asAdmin().body(Map.of("name", uniqueName("located"), "plan", "FREE"))
                .post("/admin/tenants").then().statusCode(201).extract();

        assertTrue(response.header("Location").endsWith("/admin/tenants/" + response.path("id")));
    }

    @Test
    void planNameIsMatchedIgnoringCase() {
        asAdmin().body(Map.of("name", uniqueName("casual"), "plan", "enterprise"))
                .post("/admin/tenants")
                .then().statusCode(201).body("plan", is("ENTERPRISE"));
    }

    @Test
    void unknownPlanIsRejected() {
        String name = uniqueName("gold");
        asAdmin().body(Map.of("name", name, "plan", "GOLD"))
                .post("/admin/tenants")
                .then().statusCode(400)
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is("plan"));

        List<String> names = asAdmin().get("/admin/tenants").then().extract().path("data.name");
        assertFalse(names.contains(name), "a rejected tenant must leave nothing behind");
    }

    @Test
    void missingPlanIsRejected() {
        asAdmin().body(Map.of("name", uniqueName("planless")))
                .post("/admin/tenants")
                .then().statusCode(400).body("error.param", is("plan"));
    }

    @Test
    void blankNameIsRejected() {
        asAdmin().body(Map.of("name", "   ", "plan", "FREE"))
                .post("/admin/tenants")
                .then().statusCode(400)
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is("name"));
    }

    @Test
    void duplicateNameConflicts() {
        String name = uniqueName("twin");
        asAdmin().body(Map.of("name", name, "plan", "FREE")).post("/admin/tenants").then().statusCode(201);

        asAdmin().body(Map.of("name", name, "plan", "BASIC"))
                .post("/admin/tenants")
                .then().statusCode(409)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("tenant_exists"));
    }

    @Test
    void concurrentCreatesOfOneNameYieldOneTenant() {
        String name = uniqueName("race");
        List<CompletableFuture<Integer>> attempts = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> asAdmin()
                        .body(Map.of("name", name, "plan", "FREE"))
                        .post("/admin/tenants").statusCode()))
                .toList();
        List<Integer> statuses = attempts.stream().map(CompletableFuture::join).sorted().toList();

        assertEquals(List.of(201, 409, 409, 409), statuses);
    }

    @Test
    void unknownTenantIsNotFound() {
        asAdmin().get("/admin/tenants/" + UUID.randomUUID()).then()
                .statusCode(404)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("not_found"))
                .body("error.param", nullValue());
    }

    @Test
    void malformedJsonGetsAnOpenAiError() {
        given().header("Authorization", "Bearer " + AdminRequests.adminToken())
                .contentType(ContentType.JSON)
                .body("{\"name\": ")
                .post("/admin/tenants")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.type", is("invalid_request_error"));
    }
}
