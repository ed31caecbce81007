package io.sluice.gateway.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.LinkedHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.config.TelemetryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's calls to telemetry-service, with the service token. A tenant's usage report: telemetry's answer,
 * error or not, is passed to the client as it is (status, content type, body), since telemetry validates the query
 * and speaks OpenAI's error format itself; only a 401, telemetry refusing the gateway's service token, is a failure:
 * the client's key is not what it is about. Usage events handed straight to the ledger
 * ({@code POST /internal/usage/events}), for those a stopping gateway could not write to the Redis Stream: telemetry
 * answers after its commit, idempotent on the request id, so an event that also reached the stream is counted once.
 */
@ApplicationScoped
public class TelemetryClient {
    /** Most events telemetry takes in one call. */
    public static final int MAX_EVENTS_PER_CALL = 1_000;

    private final HttpClient client;
    private final URI baseUri;
    private final long timeoutMillis;
    private final ServiceCredential credential;

    public record Report(int status, String contentType, Buffer body) {
    }

    /** What telemetry did with the events of one call. */
    public record Recorded(int recorded, int duplicates, int rejected) {
        /** Events now in the ledger, this call's or an earlier one's. */
        public int saved() {
            return recorded + duplicates;
        }
    }

    public TelemetryClient(Vertx vertx, TelemetryConfig config, ServiceCredential credential) {
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

    /** At most {@link #MAX_EVENTS_PER_CALL} events; fails unless telemetry answers 200 (e.g. 503: its database is down). */
    public Uni<Recorded> record(List<UsageEvent> events) {
        if (events.size() > MAX_EVENTS_PER_CALL) {
            throw new IllegalArgumentException(events.size() + " events in one call; at most " + MAX_EVENTS_PER_CALL);
        }
        JsonArray fields = new JsonArray();
        events.forEach(event -> fields.add(new JsonObject(new LinkedHashMap<String, Object>(event.toFields()))));
        RequestOptions options = credential.putOn(new RequestOptions()).setMethod(HttpMethod.POST)
                .setAbsoluteURI(baseUri.resolve("/internal/usage/events").toString())
                .putHeader("content-type", "application/json");
        return Uni.createFrom().completionStage(() -> client.request(options)
                .compose(request -> request.send(new JsonObject().put("events", fields).toBuffer()))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("telemetry answered " + response.statusCode());
                    }
                    JsonObject answer = body.toJsonObject();
                    return new Recorded(answer.getInteger("recorded", 0), answer.getInteger("duplicates", 0),
                            answer.getInteger("rejected", 0));
                }))
                .toCompletionStage());
    }
}
