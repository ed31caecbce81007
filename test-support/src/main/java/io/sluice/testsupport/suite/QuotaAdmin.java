package io.sluice.testsupport.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client of quota-service's admin API ({@code /admin}, with the admin token as bearer), for the launcher and the
 * end-to-end tests: tenants on a plan, keys issued and revoked. Any answer other than the documented success status
 * is an {@link IllegalStateException} carrying the status and body.
 */
public final class QuotaAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI adminUrl;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param quotaServiceUrl quota-service's base URL, e.g. http://127.0.0.1:8082 */
    public QuotaAdmin(URI quotaServiceUrl, String adminToken) {
        this.adminUrl = URI.create(quotaServiceUrl.toString().replaceAll("/+$", "") + "/admin/");
        this.adminToken = adminToken;
    }

    /** An issued key: its id (for revocation) and the plaintext, which quota-service shows only once. */
    public record IssuedKey(String id, String key) {
        /** Never prints the plaintext, so a key cannot leak through an assertion message or a log line. */
        @Override
        public String toString() {
            return "IssuedKey[id=" + id + ", key=<redacted>]";
        }
    }

    public String adminToken() {
        return adminToken;
    }

    /** Creates a tenant on a plan (FREE, BASIC, PRO, ENTERPRISE or a configured one) and returns its id. */
    public String createTenant(String name, String plan) {
        String body = "{\"name\":" + jsonString(name) + ",\"plan\":" + jsonString(plan) + "}";
        return jsonField(send("POST", "tenants", body, 201), "id");
    }

    /** Issues a key for every model of the catalogue. */
    public IssuedKey issueKey(String tenantId, String name) {
        return issueKey(tenantId, name, List.of());
    }

    /** Issues a key restricted to {@code models}, or for every model when the list is empty. */
    public IssuedKey issueKey(String tenantId, String name, List<String> models) {
        String body = "{\"name\":" + jsonString(name)
                + (models.isEmpty() ? "" : ",\"models\":" + models.stream().map(QuotaAdmin::jsonString)
                        .collect(Collectors.joining(",", "[", "]")))
                + "}";
        String issued = send("POST", "tenants/" + tenantId + "/keys", body, 201);
        return new IssuedKey(jsonField(issued, "id"), jsonField(issued, "key"));
    }

    /**
     * Switches the tenant's response cache on ({@code PATCH /admin/tenants/{id}} with a {@code cache} object):
     * {@code mode} exact or semantic, {@code namespaces} tenant, key or none.
     */
    public void cacheOn(String tenantId, String mode, long ttlSeconds, String namespaces) {
        send("PATCH", "tenants/" + tenantId, "{\"cache\":{\"mode\":" + jsonString(mode) + ",\"ttl_seconds\":"
                + ttlSeconds + ",\"namespaces\":" + jsonString(namespaces) + "}}", 200);
    }

    /** Revokes a key ({@code DELETE /admin/keys/{id}}, answered 204). */
    public void revokeKey(String keyId) {
        send("DELETE", "keys/" + keyId, null, 204);
    }

    /** Resets the tenant's quota counters of the current windows ({@code POST /admin/quotas/{tenant}/reset}, 204). */
    public void resetQuotas(String tenantId) {
        send("POST", "quotas/" + tenantId + "/reset", null, 204);
    }

    private String send(String method, String path, String json, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(adminUrl.resolve(path))
                .timeout(TIMEOUT)
                .header("authorization", "Bearer " + adminToken);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("content-type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(method + " /admin/" + path + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " /admin/" + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " /admin/" + path, e);
        }
    }

    /** Reads one top-level string field; enough for the admin answers, without a JSON library on this classpath. */
    static String jsonField(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no '" + field + "' in the admin API's answer");
        }
        return matcher.group(1);
    }

    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
