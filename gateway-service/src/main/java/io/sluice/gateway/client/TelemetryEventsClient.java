package io.sluice.gateway.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.config.TelemetryConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Hands usage events straight to telemetry-service's ledger ({@code POST /internal/usage/events}), for the events a
 * stopping gateway could not write to the Redis Stream. Telemetry answers after its commit, idempotent on the
 * request id, so an event that also reached the stream is counted once.
 */
@ApplicationScoped
public class TelemetryEventsClient {
    /** Most events telemetry takes in one call. */
    public static final int MAX_EVENTS_PER_CALL = 1_000;

    private final HttpClient client;
    private final URI baseUri;

    /** What telemetry did with the events of one call. */
    public record Recorded(int recorded, int duplicates, int rejected) {
        /** Events now in the ledger, this call's or an earlier one's. */
        public int saved() {
            return recorded + duplicates;
        }
    }

    public TelemetryEventsClient(Vertx vertx, TelemetryConfig config) {
        this.baseUri = URI.create(config.url());
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** At most {@link #MAX_EVENTS_PER_CALL} events; fails unless telemetry answers 200 (e.g. 503: its database is down). */
    public Uni<Recorded> record(List<UsageEvent> events) {
        if (events.size() > MAX_EVENTS_PER_CALL) {
            throw new IllegalArgumentException(events.size() + " events in one call; at most " + MAX_EVENTS_PER_CALL);
        }
        JsonArray fields = new JsonArray();
        events.forEach(event -> fields.add(new JsonObject(new LinkedHashMap<String, Object>(event.toFields()))));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
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
