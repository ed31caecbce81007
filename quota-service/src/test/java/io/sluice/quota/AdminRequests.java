package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Requests to the admin API as an operator holding the configured admin token. */
final class AdminRequests {
    private AdminRequests() {
    }

    static String adminToken() {
        return ConfigProvider.getConfig().getValue("sluice.admin.token", String.class);
    }

    static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + adminToken()).contentType(ContentType.JSON);
    }

    /** Reads JSON fractions as BigDecimal, so that money is compared exactly. */
    static RestAssuredConfig exactNumbers() {
        return RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    static String uniqueName(String base) {
        return base + "-" + UUID.randomUUID();
    }

    /** A plan name no other test uses, within the 40-character limit. */
    static String uniquePlanName() {
        return "T_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
    }

    /** Creates a tenant and returns its id. */
    static String createTenant(String plan) {
        return asAdmin().body(Map.of("name", uniqueName("tenant"), "plan", plan))
                .post("/admin/tenants")
                .then().statusCode(201)
                .extract().path("id");
    }

    /** Issues a key; the response holds its plaintext under "key". */
    static ExtractableResponse<Response> issueKey(String tenantId, Map<String, ?> body) {
        return asAdmin().body(body).post("/admin/tenants/" + tenantId + "/keys")
                .then().statusCode(201).extract();
    }

    /** Creates a plan with the given limits (rpm, rph, rpd, tpd). */
    static void putPlan(String name, long rpm, long rph, long rpd, long tpd) {
        asAdmin().body(Map.of("requests_per_minute", rpm, "requests_per_hour", rph, "requests_per_day", rpd,
                "tokens_per_day", tpd))
                .put("/admin/plans/" + name)
                .then().statusCode(anyOf(is(200), is(201)));
    }

    /** A plan's live limits, by JSON name, as the admin API lists them. */
    static Map<String, Object> planLimits(String plan) {
        List<Map<String, Object>> plans = asAdmin().get("/admin/plans").then().statusCode(200)
                .extract().path("data");
        return plans.stream().filter(p -> plan.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no plan " + plan));
    }

    /** The internal lookup the gateway makes for a plaintext key. */
    static ValidatableResponse lookup(String plaintextKey) {
        return asGateway().get("/internal/keys/" + sha256Hex(plaintextKey)).then();
    }

    static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
