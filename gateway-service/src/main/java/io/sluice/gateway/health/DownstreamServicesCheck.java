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
import io.sluice.gateway.config.OrchestratorConfig;
import io.sluice.gateway.config.QuotaServiceConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;

/** Ready only when the services the gateway calls on every request are alive. */
@Readiness
@ApplicationScoped
public class DownstreamServicesCheck implements AsyncHealthCheck {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Map<String, URI> services;

    public DownstreamServicesCheck(Vertx vertx, OrchestratorConfig orchestrator, QuotaServiceConfig quotaService) {
        this.client = vertx.createHttpClient();
        this.services = Map.of(
                "orchestrator-service", URI.create(orchestrator.url()).resolve("/q/health/live"),
                "quota-service", URI.create(quotaService.url()).resolve("/q/health/live"));
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
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString()))
                .flatMap(request -> request.send())
                .call(HttpClientResponse::body)
                .map(response -> response.statusCode() == 200)
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(false);
    }
}
