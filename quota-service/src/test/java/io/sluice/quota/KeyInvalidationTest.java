package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.putPlan;
import static io.sluice.quota.AdminRequests.sha256Hex;
import static io.sluice.quota.AdminRequests.uniquePlanName;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.KeyInvalidations;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * What a gateway replica hears on {@link KeyInvalidations#CHANNEL} when an admin changes what a key may do. Each
 * admin call returns after its message is published, so the listener only waits for delivery.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class KeyInvalidationTest {

    @Inject
    RedisDataSource redis;

    private InvalidationListener gateway;

    @BeforeEach
    void listen() {
        gateway = new InvalidationListener(redis);
    }

    @AfterEach
    void stopListening() {
        gateway.close();
    }

    @Test
    void revokingAKeyAnnouncesItsHash() {
        var issued = issueKey(createTenant("FREE"), Map.of());
        String expected = KeyInvalidations.forKeyHash(sha256Hex(issued.path("key")));

        asAdmin().delete("/admin/keys/" + issued.path("id")).then().statusCode(204);

        assertEquals(List.of(expected), gateway.awaitMessages(1));
        assertEquals("key:" + sha256Hex(issued.path("key")), expected);
    }

    @Test
    void rotatingAKeyAnnouncesTheOldKeysHash() {
        var issued = issueKey(createTenant("FREE"), Map.of());

        asAdmin().body(Map.of("grace_seconds", 60)).post("/admin/keys/" + issued.path("id") + "/rotate")
                .then().statusCode(201);

        assertEquals(List.of(KeyInvalidations.forKeyHash(sha256Hex(issued.path("key")))), gateway.awaitMessages(1));
    }

    @Test
    void changingAKeysLimitsAnnouncesItsHash() {
        var issued = issueKey(createTenant("FREE"), Map.of());

        asAdmin().body(Map.of("limits", Map.of("requests_per_minute", 2))).patch("/admin/keys/" + issued.path("id"))
                .then().statusCode(200);

        assertEquals(List.of(KeyInvalidations.forKeyHash(sha256Hex(issued.path("key")))), gateway.awaitMessages(1));
    }

    @Test
    void patchingATenantAnnouncesTheTenant() {
        String tenantId = createTenant("BASIC");

        asAdmin().body(Map.of("budgets", Map.of("daily_usd", 5))).patch("/admin/tenants/" + tenantId)
                .then().statusCode(200);

        assertEquals(List.of("tenant:" + tenantId), gateway.awaitMessages(1));
    }

    @Test
    void replacingAPlanAnnouncesThePlanOnceHoweverManyTenantsAreOnIt() {
        String plan = uniquePlanName();
        putPlan(plan, 1, 10, 100, 1_000);
        createTenant(plan);
        createTenant(plan);
        String elsewhere = createTenant("FREE");
        var sentinel = issueKey(elsewhere, Map.of());
        List<String> before = gateway.messages();

        putPlan(plan, 2, 20, 200, 2_000);
        // Announced after the plan change, so an announcement of the other tenant would arrive before this one.
        asAdmin().delete("/admin/keys/" + sentinel.path("id")).then().statusCode(204);

        String sentinelMessage = KeyInvalidations.forKeyHash(sha256Hex(sentinel.path("key")));
        List<String> heard = gateway.awaitMessages(before.size() + 2);
        assertEquals(List.of(KeyInvalidations.forPlan(plan), sentinelMessage), heard.subList(before.size(), heard.size()),
                "one message for the plan (a gateway drops its tenants' grants in one scan), no message per tenant");
    }

    @Test
    void rejectedChangesAnnounceNothing() {
        var issued = issueKey(createTenant("FREE"), Map.of());

        asAdmin().body(Map.of("grace_seconds", -1)).post("/admin/keys/" + issued.path("id") + "/rotate")
                .then().statusCode(400);
        asAdmin().body(Map.of("plan", "NO_SUCH_PLAN")).patch("/admin/tenants/" + issued.path("tenant_id"))
                .then().statusCode(400);
        // A later announcement arrives, so anything the rejected calls had published would have arrived before it.
        asAdmin().delete("/admin/keys/" + issued.path("id")).then().statusCode(204);

        assertEquals(List.of(KeyInvalidations.forKeyHash(sha256Hex(issued.path("key")))), gateway.awaitMessages(1));
    }
}
