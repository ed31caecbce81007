package io.sluice.quota;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.http.ContentType;
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

    static String uniqueName(String base) {
        return base + "-" + UUID.randomUUID();
    }

    /** Creates a tenant and returns its id. */
    static String createTenant(String plan) {
        return asAdmin().body(Map.of("name", uniqueName("tenant"), "plan", plan))
                .post("/admin/tenants")
                .then().statusCode(201)
                .extract().path("id");
    }
}
