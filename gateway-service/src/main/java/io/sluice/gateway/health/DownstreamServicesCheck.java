package io.sluice.gateway.health;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.sluice.gateway.client.ServiceCredential;
import io.sluice.gateway.config.OrchestratorConfig;
import io.sluice.gateway.config.QuotaServiceConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;

/**
 * Ready only when the services the gateway calls on every request answer it: each is asked, over the service port
 * and with the service token, for something that needs neither a database nor a provider (their health endpoints
 * are on the management port, which the gateway does not reach). A refused token makes the gateway unready too, so
 * a rollout with a wrong token stops at its first pod.
 */
@Readiness
@ApplicationScoped
public class DownstreamServicesCheck implements AsyncHealthCheck {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Map<String, URI> services;
    private final ServiceCredential credential;

    public DownstreamServicesCheck(Vertx vertx, OrchestratorConfig orchestrator, QuotaServiceConfig quotaService,
            ServiceCredential credential) {
        this.client = vertx.createHttpClient();
        this.credential = credential;
        this.services = Map.of(
                "orchestrator-service", URI.create(orchestrator.url()).resolve("/v1/models"),
                "quota-service", URI.create(quotaService.url()).resolve("/internal/ping"));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("downstream-services").up();
        return Uni.join().all(services.entrySet().stream()
                        .map(service -> probe(service.getValue())
                                .invoke(up -> {
                                    builder.withData(service.getKey(), up ? "UP" : "DOWN");
                                    if (!up) {
                                        builder.down();
                                    }
                                }))
                        .toList())
                .andFailFast()
                .map(results -> builder.build());
    }

    private Uni<Boolean> probe(URI uri) {
        return client.request(credential.putOn(new RequestOptions()).setMethod(HttpMethod.GET)
                        .setAbsoluteURI(uri.toString()))
                .flatMap(request -> request.send())
                .call(HttpClientResponse::body)
                .map(response -> response.statusCode() / 100 == 2)
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(false);
    }
}
