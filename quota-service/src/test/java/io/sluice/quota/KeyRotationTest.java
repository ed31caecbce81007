package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/** POST /admin/keys/{id}/rotate: a new key at once, the old one until its grace period ends. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class KeyRotationTest {

    @InjectStore
    EmbeddedPostgresStore pg;

    @Test
    void rotationIssuesANewKeyWithTheSameTenantNameModelsAndLimits() {
        String tenantId = createTenant("PRO");
        List<String> models = List.of("gpt-4o-mini");
        var old = issueKey(tenantId, Map.of("name", "checkout", "models", models,
                "limits", Map.of("requests_per_minute", 9)));

        var rotated = rotate(old.path("id"), Map.of("grace_seconds", 600));

        String newKey = rotated.path("key");
        assertTrue(newKey.startsWith("sk-sluice-"));
        assertNotEquals(old.<String> path("key"), newKey);
        assertNotEquals(old.<String> path("id"), rotated.<String> path("id"));
        assertEquals(tenantId, rotated.path("tenant_id"));
        assertEquals("checkout", rotated.path("name"));
        assertEquals(models, rotated.path("models"));
        assertEquals(9, rotated.<Integer> path("limits.requests_per_minute"));
        assertEquals(old.<String> path("id"), rotated.path("replaces.id"));
        assertEquals("no-store", rotated.header("Cache-Control"));

        lookup(newKey).statusCode(200)
                .body("key_id", is(rotated.<String> path("id")))
                .body("tenant_id", is(tenantId))
                .body("models", is(models))
                .body("key_limits.requests_per_minute", is(9))
                .body("expires_at", nullValue());
    }

    @Test
    void theOldKeyWorksUntilTheGracePeriodEnds() {
        var old = issueKey(createTenant("FREE"), Map.of());
        Instant before = Instant.now();

        var rotated = rotate(old.path("id"), Map.of("grace_seconds", 3600));

        Instant graceEnd = Instant.parse(rotated.path("replaces.expires_at"));
        assertFalse(graceEnd.isBefore(before.plusSeconds(3600).truncatedTo(ChronoUnit.MICROS)), graceEnd.toString());
        assertFalse(graceEnd.isAfter(Instant.now().plusSeconds(3600)), graceEnd.toString());
        lookup(old.path("key")).statusCode(200)
                .body("key_id", is(old.<String> path("id")))
                .body("expires_at", is(rotated.<String> path("replaces.expires_at")));
        asAdmin().get("/admin/tenants/" + old.path("tenant_id") + "/keys").then()
                .body("data.find { it.id == '" + old.path("id") + "' }.replaced_by", is(rotated.<String> path("id")))
                .body("data.find { it.id == '" + old.path("id") + "' }.status", is("active"))
                .body("data.find { it.id == '" + old.path("id") + "' }.expires_at",
                        is(rotated.<String> path("replaces.expires_at")));
        lookup(rotated.path("key")).statusCode(200);
    }

    @Test
    void zeroGraceStopsTheOldKeyAtOnce() {
        var old = issueKey(createTenant("FREE"), Map.of());

        var rotated = rotate(old.path("id"), Map.of("grace_seconds", 0));

        lookup(old.path("key")).statusCode(404).body("error.code", is("invalid_api_key"));
        lookup(rotated.path("key")).statusCode(200);
    }

    @Test
    void withoutABodyTheConfiguredGraceApplies() {
        Duration grace = ConfigProvider.getConfig().getValue("sluice.keys.rotation-grace", Duration.class);
        var old = issueKey(createTenant("FREE"), Map.of());
        Instant before = Instant.now();

        var rotated = given().header("Authorization", "Bearer " + AdminRequests.adminToken())
                .post("/admin/keys/" + old.path("id") + "/rotate")
                .then().statusCode(201).extract();

        Instant graceEnd = Instant.parse(rotated.path("replaces.expires_at"));
        assertFalse(graceEnd.isBefore(before.plus(grace).truncatedTo(ChronoUnit.MICROS)), graceEnd.toString());
        assertFalse(graceEnd.isAfter(Instant.now().plus(grace)), graceEnd.toString());
        lookup(old.path("key")).statusCode(200);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedRatherThanIgnored() {
        var old = issueKey(createTenant("FREE"), Map.of());

        given().header("Authorization", "Bearer " + AdminRequests.adminToken())
                .contentType("application/x-www-form-urlencoded").body("grace_seconds=0")
                .post("/admin/keys/" + old.path("id") + "/rotate")
                .then().statusCode(415).body("error.type", is("invalid_request_error"));

        lookup(old.path("key")).statusCode(200).body("expires_at", nullValue());
        asAdmin().get("/admin/tenants/" + old.path("tenant_id") + "/keys").then().body("data.size()", is(1));
    }

    @Test
    void rotationNeverExtendsAnEarlierExpiry() {
        Instant expiresAt = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        var old = issueKey(createTenant("FREE"), Map.of("expires_at", expiresAt.toString()));

        var rotated = rotate(old.path("id"), Map.of("grace_seconds", 86_400));

        assertEquals(expiresAt, Instant.parse(rotated.path("replaces.expires_at")));
        // Nor does the new key outlive the old one's expiry.
        assertEquals(expiresAt, Instant.parse(rotated.path("expires_at")));
        lookup(rotated.path("key")).body("expires_at", notNullValue());
    }

    @Test
    void revokedExpiredOrAlreadyRotatedKeysCannotBeRotated() throws SQLException {
        String tenantId = createTenant("FREE");

        String revoked = issueKey(tenantId, Map.of()).path("id");
        asAdmin().delete("/admin/keys/" + revoked).then().statusCode(204);
        assertConflict(revoked, "key_revoked");

        String expired = issueKey(tenantId, Map.of("expires_at", Instant.now().plusSeconds(3600).toString()))
                .path("id");
        expire(expired);
        assertConflict(expired, "key_expired");

        String rotatedOnce = issueKey(tenantId, Map.of()).path("id");
        rotate(rotatedOnce, Map.of("grace_seconds", 600));
        assertConflict(rotatedOnce, "key_already_rotated");

        // Only the one successful rotation created a key.
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then().body("data.size()", is(4));
    }

    @Test
    void badGraceIsRejectedAndUnknownKeysAreNotFound() {
        String keyId = issueKey(createTenant("FREE"), Map.of()).path("id");
        for (Object grace : List.of(-1, 400L * 24 * 3600, "soon")) {
            asAdmin().body(Map.of("grace_seconds", grace)).post("/admin/keys/" + keyId + "/rotate").then()
                    .statusCode(400)
                    .body("error.param", is("grace_seconds"));
        }
        asAdmin().body(Map.of()).post("/admin/keys/" + UUID.randomUUID() + "/rotate").then()
                .statusCode(404).body("error.code", is("not_found"));
    }

    private static ExtractableResponse<Response> rotate(String keyId, Map<String, ?> body) {
        return asAdmin().body(body).post("/admin/keys/" + keyId + "/rotate").then().statusCode(201).extract();
    }

    private static void assertConflict(String keyId, String code) {
        asAdmin().body(Map.of()).post("/admin/keys/" + keyId + "/rotate").then()
                .statusCode(409)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is(code));
    }

    /** Lets the key's expiry pass, as the clock eventually would. */
    private void expire(String keyId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresStore.USER,
                EmbeddedPostgresStore.USER);
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE quota.api_keys SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")) {
            statement.setString(1, keyId);
            assertEquals(1, statement.executeUpdate());
        }
    }
}
