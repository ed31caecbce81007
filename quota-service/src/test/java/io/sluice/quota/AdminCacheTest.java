package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.exactNumbers;
import static io.sluice.quota.AdminRequests.sha256Hex;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * GET and DELETE /admin/cache/{tenant} against entries written, as the gateway writes them, under the
 * {@link CacheKeys} names: an entry hash, its LRU member, its size and the tenant's stats.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class AdminCacheTest {

    @Inject
    RedisDataSource redis;

    @Test
    void viewShowsTheTenantsFiguresAndPolicy() {
        String tenantId = createTenant("PRO");
        asAdmin().body(Map.of("cache", Map.of("mode", "exact", "ttl_seconds", 900, "namespaces", "key")))
                .patch("/admin/tenants/" + tenantId).then().statusCode(200);
        store(tenantId, member("default", CacheKeys.SHARED_SCOPE, "a"), 100);
        store(tenantId, member("default", CacheKeys.SHARED_SCOPE, "b"), 200);
        store(tenantId, member("docs", UUID.randomUUID().toString(), "c"), 300);
        redis.hash(Long.class).hset(CacheKeys.stats(tenantId), Map.of(CacheKeys.STAT_HITS, 7L,
                CacheKeys.STAT_MISSES, 3L, CacheKeys.STAT_SAVED_MICRO_USD, 1_234_567L, CacheKeys.STAT_EVICTIONS, 2L));
        // Another tenant's entries are not counted.
        store(createTenant("PRO"), member("default", CacheKeys.SHARED_SCOPE, "a"), 999);

        asAdmin().config(exactNumbers()).get("/admin/cache/" + tenantId).then()
                .statusCode(200)
                .body("tenant_id", is(tenantId))
                .body("entries", is(3))
                .body("bytes", is(600))
                .body("hits", is(7))
                .body("misses", is(3))
                .body("saved_usd", comparesEqualTo(new BigDecimal("1.234567")))
                .body("evictions", is(2))
                .body("policy.mode", is("exact"))
                .body("policy.ttl_seconds", is(900))
                .body("policy.namespaces", is("key"))
                .body("policy.max_bytes", is(16 << 20));
    }

    @Test
    void anEmptyCacheIsAllZeros() {
        String tenantId = createTenant("FREE");

        String body = asAdmin().get("/admin/cache/" + tenantId).then()
                .statusCode(200)
                .body("entries", is(0))
                .body("bytes", is(0))
                .body("hits", is(0))
                .body("misses", is(0))
                .body("evictions", is(0))
                .body("policy.mode", is("off"))
                .body("policy.max_bytes", is(1 << 20))
                .extract().asString();
        // Six decimals, to the micro-dollar the gateway counts in.
        assertTrue(body.contains("\"saved_usd\":0.000000"), body);
    }

    @Test
    void deleteClearsEveryEntryOfTheTenantAndNothingElse() {
        String tenantId = createTenant("PRO");
        List<String> members = List.of(member("default", CacheKeys.SHARED_SCOPE, "a"),
                member("docs", CacheKeys.SHARED_SCOPE, "b"), member("docs", UUID.randomUUID().toString(), "c"));
        members.forEach(member -> store(tenantId, member, 100));
        redis.hash(Long.class).hset(CacheKeys.stats(tenantId), CacheKeys.STAT_HITS, 5L);
        String otherTenant = createTenant("PRO");
        String kept = member("default", CacheKeys.SHARED_SCOPE, "a");
        store(otherTenant, kept, 50);

        asAdmin().delete("/admin/cache/" + tenantId).then().statusCode(200).body("deleted", is(3));

        for (String member : members) {
            assertFalse(redis.key().exists(CacheKeys.entry(tenantId, member)), member + " survived");
        }
        assertEquals(0, redis.sortedSet(String.class).zcard(CacheKeys.lru(tenantId)));
        assertEquals(0, redis.hash(String.class).hlen(CacheKeys.sizes(tenantId)));
        assertEquals(0L, redis.hash(Long.class).hget(CacheKeys.stats(tenantId), CacheKeys.STAT_BYTES));
        // Clearing is not forgetting: hit and miss counts stay.
        assertEquals(5L, redis.hash(Long.class).hget(CacheKeys.stats(tenantId), CacheKeys.STAT_HITS));
        assertTrue(redis.key().exists(CacheKeys.entry(otherTenant, kept)));
        assertEquals(50L, redis.hash(Long.class).hget(CacheKeys.stats(otherTenant), CacheKeys.STAT_BYTES));
        asAdmin().get("/admin/cache/" + tenantId).then().body("entries", is(0)).body("bytes", is(0));

        asAdmin().delete("/admin/cache/" + tenantId).then().statusCode(200).body("deleted", is(0));
    }

    @Test
    void deletingOneNamespaceKeepsTheOthers() {
        String tenantId = createTenant("PRO");
        String keyId = UUID.randomUUID().toString();
        List<String> cleared = List.of(member("docs", CacheKeys.SHARED_SCOPE, "a"), member("docs", keyId, "b"));
        // "docs2" starts with "docs": only the whole namespace name matches.
        List<String> kept = List.of(member("default", CacheKeys.SHARED_SCOPE, "a"), member("docs2", keyId, "c"));
        cleared.forEach(member -> store(tenantId, member, 100));
        kept.forEach(member -> store(tenantId, member, 30));

        asAdmin().queryParam("namespace", "docs").delete("/admin/cache/" + tenantId).then()
                .statusCode(200).body("deleted", is(2));

        for (String member : cleared) {
            assertFalse(redis.key().exists(CacheKeys.entry(tenantId, member)), member + " survived");
        }
        for (String member : kept) {
            assertTrue(redis.key().exists(CacheKeys.entry(tenantId, member)), member + " was deleted");
        }
        assertEquals(Set.copyOf(kept), Set.copyOf(redis.sortedSet(String.class).zrange(CacheKeys.lru(tenantId), 0,
                -1)));
        assertEquals(Set.copyOf(kept), redis.hash(String.class).hgetall(CacheKeys.sizes(tenantId)).keySet());
        assertEquals(60L, redis.hash(Long.class).hget(CacheKeys.stats(tenantId), CacheKeys.STAT_BYTES));
        asAdmin().get("/admin/cache/" + tenantId).then().body("entries", is(2)).body("bytes", is(60));
    }

    @Test
    void aClearIsLoggedByTenantIdAndNeverByEntry() {
        String tenantId = createTenant("PRO");
        String request = "what is the capital of France";
        String member = member("docs", CacheKeys.SHARED_SCOPE, request);
        store(tenantId, member, 100);

        try (LogCapture logs = new LogCapture()) {
            asAdmin().queryParam("namespace", "docs").delete("/admin/cache/" + tenantId).then()
                    .statusCode(200).body("deleted", is(1));

            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(line -> line.contains("tenant " + tenantId)
                    && line.contains("Cleared 1 ")), lines.toString());
            assertFalse(lines.stream().anyMatch(line -> line.contains(sha256Hex(request))), "an entry was logged");
            assertFalse(lines.stream().anyMatch(line -> line.contains(CacheKeys.PREFIX)), "a Redis key was logged");
        }
    }

    @Test
    void invalidNamespacesAreRejectedAndDeleteNothing() throws IOException {
        String tenantId = createTenant("PRO");
        String member = member("docs", CacheKeys.SHARED_SCOPE, "a");
        store(tenantId, member, 100);

        for (String bad : List.of("", "two words", "docs/", "*", "d".repeat(65), "dócs")) {
            asAdmin().queryParam("namespace", bad).delete("/admin/cache/" + tenantId).then()
                    .statusCode(400)
                    .body("error.type", is("invalid_request_error"))
                    .body("error.param", is("namespace"));
        }

        asAdmin().queryParam("namespace", "docs", "default").delete("/admin/cache/" + tenantId).then()
                .statusCode(400)
                .body("error.param", is("namespace"));
        // Sent raw: HTTP clients refuse to send a query string that does not decode.
        assertTrue(rawDelete("/admin/cache/" + tenantId + "?namespace=%zz").startsWith("HTTP/1.1 400"));

        assertTrue(redis.key().exists(CacheKeys.entry(tenantId, member)));
        asAdmin().get("/admin/cache/" + tenantId).then().body("entries", is(1)).body("bytes", is(100));
    }

    @Test
    void unknownTenantsAreNotFound() {
        String unknown = UUID.randomUUID().toString();
        store(unknown, member("default", CacheKeys.SHARED_SCOPE, "a"), 10);

        asAdmin().get("/admin/cache/" + unknown).then()
                .statusCode(404).body("error.code", is("not_found"));
        asAdmin().delete("/admin/cache/" + unknown).then()
                .statusCode(404).body("error.code", is("not_found"));
        assertTrue(redis.key().exists(CacheKeys.entry(unknown, member("default", CacheKeys.SHARED_SCOPE, "a"))));
    }

    @Test
    void theAdminTokenIsRequired() {
        String tenantId = createTenant("FREE");
        store(tenantId, member("default", CacheKeys.SHARED_SCOPE, "a"), 10);

        given().get("/admin/cache/" + tenantId).then()
                .statusCode(401).body("error.type", is("authentication_error"));
        given().header("Authorization", "Bearer not-the-admin-token").delete("/admin/cache/" + tenantId).then()
                .statusCode(401).body("error.type", is("authentication_error"));

        asAdmin().get("/admin/cache/" + tenantId).then().statusCode(200).body("entries", is(1));
    }

    /** The status line and everything after it, for a request no HTTP client would send. */
    private static String rawDelete(String target) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(("DELETE " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + AdminRequests.adminToken() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String member(String namespace, String scope, String request) {
        return CacheKeys.member(namespace, scope, sha256Hex(request));
    }

    /** Stores an answer as the gateway does: the entry, its place in the LRU order, its size, the byte total. */
    private void store(String tenantId, String member, long bytes) {
        redis.hash(String.class).hset(CacheKeys.entry(tenantId, member), Map.of("body", "{\"choices\":[]}",
                "meta", "{}", "cost", "12", "created", "1765000000000"));
        redis.sortedSet(String.class).zadd(CacheKeys.lru(tenantId), System.currentTimeMillis(), member);
        redis.hash(Long.class).hset(CacheKeys.sizes(tenantId), member, bytes);
        redis.hash(Long.class).hincrby(CacheKeys.stats(tenantId), CacheKeys.STAT_BYTES, bytes);
    }
}
