package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.sha256Hex;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/** Issuing, storing, listing, resolving and revoking inference keys. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ApiKeyLifecycleTest {
    private static final String PREFIX = "sk-sluice-";

    @InjectStore
    EmbeddedPostgresStore pg;

    @Test
    void issuedKeyIsHighEntropyWithTheSluicePrefix() {
        String tenantId = createTenant("FREE");

        var issued = issueKey(tenantId, Map.of("name", "backend"));

        String key = issued.path("key");
        assertTrue(key.startsWith(PREFIX), "key starts with " + PREFIX);
        String secret = key.substring(PREFIX.length());
        assertTrue(secret.length() >= 43, "at least 256 bits in base64url");
        assertTrue(secret.matches("[A-Za-z0-9_-]+"), "base64url without padding");
        assertEquals(PREFIX, issued.path("prefix"));
        assertEquals(key.substring(key.length() - 4), issued.path("last4"));
        assertEquals("backend", issued.path("name"));
        assertEquals(tenantId, issued.path("tenant_id"));
        assertEquals("no-store", issued.header("Cache-Control"));
        UUID.fromString(issued.path("id"));
        assertTrue(issued.<String> path("created_at") != null);

        String other = issueKey(tenantId, Map.of()).path("key");
        assertFalse(other.equals(key), "every key is fresh");
    }

    @Test
    void databaseHoldsOnlyTheSha256OfTheKey() throws SQLException {
        var issued = issueKey(createTenant("BASIC"), Map.of("name", "stored"));
        String key = issued.path("key");

        Map<String, String> row = keyRow(issued.path("id"));

        assertEquals(sha256Hex(key), row.get("key_hash"));
        String secret = key.substring(PREFIX.length());
        row.forEach((column, value) -> assertFalse(value != null && value.contains(secret),
                "column " + column + " contains the plaintext key"));
        assertEquals("active", row.get("status"));
    }

    @Test
    void listingShowsLast4ButNeverTheKeyOrItsHash() {
        String tenantId = createTenant("FREE");
        var issued = issueKey(tenantId, Map.of("name", "listed"));
        String key = issued.path("key");

        String body = asAdmin().get("/admin/tenants/" + tenantId + "/keys").then()
                .statusCode(200)
                .body("object", is("list"))
                .body("data.size()", is(1))
                .body("data[0].id", is(issued.<String> path("id")))
                .body("data[0].prefix", is(PREFIX))
                .body("data[0].last4", is(key.substring(key.length() - 4)))
                .body("data[0].name", is("listed"))
                .body("data[0].status", is("active"))
                .body("data[0].tenant_id", is(tenantId))
                .body("data[0]", not(hasKey("key")))
                .body("data[0]", not(hasKey("key_hash")))
                .extract().asString();

        assertFalse(body.contains(key.substring(PREFIX.length())), "listing leaks the key");
        assertFalse(body.contains(sha256Hex(key)), "listing leaks the key hash");
    }

    @Test
    void keysOfAnUnknownTenantAreNotFound() {
        asAdmin().body(Map.of("name", "orphan")).post("/admin/tenants/" + UUID.randomUUID() + "/keys")
                .then().statusCode(404).body("error.code", is("not_found"));
        asAdmin().get("/admin/tenants/" + UUID.randomUUID() + "/keys")
                .then().statusCode(404).body("error.code", is("not_found"));
    }

    @Test
    void lookupByHashResolvesTenantPlanAndLimits() {
        String tenantName = AdminRequests.uniqueName("lookup");
        String tenantId = asAdmin().body(Map.of("name", tenantName, "plan", "PRO"))
                .post("/admin/tenants").then().statusCode(201).extract().path("id");
        var issued = issueKey(tenantId, Map.of("name", "gateway"));

        asGateway().get("/internal/keys/" + sha256Hex(issued.path("key"))).then()
                .statusCode(200)
                .body("key_id", is(issued.<String> path("id")))
                .body("tenant_id", is(tenantId))
                .body("tenant_name", is(tenantName))
                .body("plan", is("PRO"))
                .body("limits.requests_per_minute", is(100))
                .body("limits.requests_per_hour", is(2000))
                .body("limits.requests_per_day", is(20000))
                .body("limits.tokens_per_day", is(2000000))
                // Neither the key nor the tenant sets anything beyond the plan.
                .body("key_limits.requests_per_minute", nullValue())
                .body("key_limits.tokens_per_day", nullValue())
                .body("budgets.daily_usd", nullValue())
                .body("budgets.monthly_usd", nullValue())
                .body("models", nullValue())
                .body("expires_at", nullValue());
    }

    @Test
    void lookupAcceptsUpperCaseHex() {
        var issued = issueKey(createTenant("FREE"), Map.of());

        asGateway().get("/internal/keys/" + sha256Hex(issued.path("key")).toUpperCase()).then()
                .statusCode(200).body("key_id", is(issued.<String> path("id")));
    }

    @Test
    void unknownHashIsNotFound() {
        asGateway().get("/internal/keys/" + sha256Hex("sk-sluice-never-issued")).then()
                .statusCode(404)
                .body("error.code", is("invalid_api_key"))
                .body("error.message", notNullValue());
    }

    @Test
    void malformedHashIsABadRequest() {
        for (String malformed : List.of("abc", "z".repeat(64), "a".repeat(65), "sk-sluice-abcd")) {
            asGateway().get("/internal/keys/" + malformed).then()
                    .statusCode(400)
                    .body("error.type", is("invalid_request_error"));
        }
    }

    @Test
    void revokedKeyNoLongerResolves() {
        String tenantId = createTenant("FREE");
        var issued = issueKey(tenantId, Map.of());
        String hash = sha256Hex(issued.path("key"));
        asGateway().get("/internal/keys/" + hash).then().statusCode(200);

        asAdmin().delete("/admin/keys/" + issued.path("id")).then().statusCode(204);

        asGateway().get("/internal/keys/" + hash).then().statusCode(404).body("error.code", is("invalid_api_key"));
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then()
                .body("data[0].status", is("revoked"))
                .body("data[0].revoked_at", notNullValue());
        // Revoking twice is harmless.
        asAdmin().delete("/admin/keys/" + issued.path("id")).then().statusCode(204);
    }

    @Test
    void revokingAnUnknownKeyIsNotFound() {
        asAdmin().delete("/admin/keys/" + UUID.randomUUID()).then()
                .statusCode(404).body("error.type", is("invalid_request_error"));
    }

    @Test
    void expiredKeyNoLongerResolves() throws SQLException {
        Instant expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        var issued = issueKey(createTenant("FREE"), Map.of("expires_at", expiresAt.toString()));
        assertEquals(expiresAt, Instant.parse(issued.path("expires_at")));
        String hash = sha256Hex(issued.path("key"));
        asGateway().get("/internal/keys/" + hash).then().statusCode(200)
                .body("expires_at", is(issued.<String> path("expires_at")));

        // Let the expiry pass, as the clock eventually would.
        updateKey("UPDATE quota.api_keys SET expires_at = now() - interval '1 second' WHERE id = ?::uuid",
                issued.path("id"));

        asGateway().get("/internal/keys/" + hash).then().statusCode(404).body("error.code", is("invalid_api_key"));
    }

    @Test
    void expiryInThePastIsRejectedAtIssue() {
        asAdmin().body(Map.of("expires_at", Instant.now().minus(1, ChronoUnit.MINUTES).toString()))
                .post("/admin/tenants/" + createTenant("FREE") + "/keys")
                .then().statusCode(400).body("error.param", is("expires_at"));
    }

    @Test
    void modelAllowListRoundTrips() {
        String tenantId = createTenant("BASIC");
        List<String> models = List.of("gpt-4o-mini", "claude-3-5-haiku");
        var issued = issueKey(tenantId, Map.of("models", models));
        assertEquals(models, issued.path("models"));

        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then()
                .body("data[0].models", is(models));
        asGateway().get("/internal/keys/" + sha256Hex(issued.path("key"))).then()
                .statusCode(200).body("models", is(models));
    }

    @Test
    void anAllowListNameOutsideTheModelRuleIsRejected() {
        // The gateway relays the allow-list to the orchestrator in a comma-separated header: a name with a comma,
        // a blank or a control character could not travel there intact, nor could one longer than a model name.
        String tenantId = createTenant("FREE");
        for (String name : List.of("gpt-4o,claude", "gpt 4o", "gpt-4o\u0000", "m".repeat(129))) {
            asAdmin().body(Map.of("models", List.of("sim-gpt", name)))
                    .post("/admin/tenants/" + tenantId + "/keys")
                    .then().statusCode(400).body("error.param", is("models"));
        }
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then().body("data", hasSize(0));
    }

    @Test
    void emptyModelAllowListIsRejected() {
        asAdmin().body(Map.of("models", List.of()))
                .post("/admin/tenants/" + createTenant("FREE") + "/keys")
                .then().statusCode(400).body("error.param", is("models"));
    }

    private Map<String, String> keyRow(String keyId) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT * FROM quota.api_keys WHERE id = ?::uuid")) {
            query.setString(1, keyId);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "no row for key " + keyId);
                Map<String, String> row = new HashMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnName(column), rows.getString(column));
                }
                return row;
            }
        }
    }

    private void updateKey(String sql, String keyId) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, keyId);
            assertEquals(1, statement.executeUpdate());
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresStore.USER, EmbeddedPostgresStore.USER);
    }
}
