package io.sluice.gateway.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.gateway.config.TelemetryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Fetches a tenant's usage report from telemetry-service. Its answer, error or not, is passed to the client as it
 * is (status, content type, body): telemetry validates the query and speaks OpenAI's error format itself. Only a 401,
 * telemetry refusing the gateway's service token, is a failure: the client's key is not what it is about.
 */
@ApplicationScoped
public class TelemetryUsageClient {
    private final HttpClient client;
    private final URI baseUri;
    private final long timeoutMillis;
    private final ServiceCredential credential;

    public record Report(int status, String contentType, Buffer body) {
    }

    public TelemetryUsageClient(Vertx vertx, TelemetryConfig config, ServiceCredential credential) {
        this.credential = credential;
        this.baseUri = URI.create(config.url());
        this.timeoutMillis = config.reportTimeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000).setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** {@code query} is the client's own query string; the tenant comes from its key and overrides any it sent. */
    public Uni<Report> report(String tenantId, String query) {
        StringBuilder uri = new StringBuilder("/internal/usage/report?tenant_id=")
                .append(URLEncoder.encode(tenantId, StandardCharsets.UTF_8));
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty() && !pair.startsWith("tenant_id=") && !pair.equals("tenant_id")) {
                    uri.append('&').append(pair);
                }
            }
        }
        RequestOptions options = credential.putOn(new RequestOptions()).setMethod(HttpMethod.GET)
                .setAbsoluteURI(baseUri.resolve(uri.toString()).toString())
                .setTimeout(timeoutMillis);
        return Uni.createFrom().completionStage(() -> client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().compose(body -> response.statusCode() == 401
                        ? Future.failedFuture(new IllegalStateException("telemetry-service refused the gateway's "
                                + "service token (401): check SLUICE_SERVICE_TOKEN"))
                        : Future.succeededFuture(new Report(response.statusCode(), response.getHeader("content-type"),
                                body))))
                .toCompletionStage());
    }
}
