package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;

/**
 * The tenant the load runs as: plan ENTERPRISE with every request and token limit overridden far above what a
 * run sends (through the admin API, as an operator would), so that no request is refused and every one still goes
 * through the full quota decision, and one key for it.
 */
public final class BenchTenant {
    private static final long UNREACHABLE = 1_000_000_000_000L;

    private BenchTenant() {
    }

    /** A tenant and its key. */
    public record Created(String tenantId, String key) {
    }

    /** Creates the tenant and returns its key. */
    public static String create(LocalSuite.Started suite) throws IOException, InterruptedException {
        return create(suite, "benchmark", null).key();
    }

    /**
     * Creates a tenant like {@link #create(LocalSuite.Started)}, with the response cache on in {@code cacheMode}
     * ({@code exact} or {@code semantic}; null: off).
     */
    public static Created create(LocalSuite.Started suite, String name, String cacheMode)
            throws IOException, InterruptedException {
        QuotaAdmin admin = suite.admin();
        String tenant = admin.createTenant(name, "ENTERPRISE");
        if (cacheMode != null) {
            admin.cacheOn(tenant, cacheMode, 3_600, "tenant");
        }
        String overrides = "{\"overrides\":{\"requests_per_minute\":" + UNREACHABLE + ",\"requests_per_hour\":"
                + UNREACHABLE + ",\"requests_per_day\":" + UNREACHABLE + ",\"tokens_per_day\":" + UNREACHABLE + "}}";
        HttpRequest patch = HttpRequest.newBuilder(URI.create(suite.quotaUrl() + "/admin/tenants/" + tenant))
                .timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + suite.adminToken())
                .header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(overrides))
                .build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(patch, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("PATCH /admin/tenants answered " + answer.statusCode() + ": "
                    + answer.body());
        }
        return new Created(tenant, admin.issueKey(tenant, "benchmark").key());
    }
}
