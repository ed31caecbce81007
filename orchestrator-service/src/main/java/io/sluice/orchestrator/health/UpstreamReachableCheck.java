package io.sluice.orchestrator.health;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetClient;

/**
 * Ready when at least one provider endpoint of the catalogue accepts a TCP connection: without any, no request can
 * be served; with some, the router routes around the others. Each endpoint is probed once however many deployments
 * share it, and reported in the check's data.
 */
@Readiness
@ApplicationScoped
public class UpstreamReachableCheck implements AsyncHealthCheck {
    private final NetClient netClient;
    private final List<URI> endpoints;

    public UpstreamReachableCheck(Vertx vertx, ModelCatalog catalog) {
        this.netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
        this.endpoints = catalog.deployments().stream()
                .map(d -> URI.create(d.baseUrl()))
                .map(uri -> URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port(uri)))
                .distinct()
                .toList();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Map.Entry<String, Boolean>>> probes = endpoints.stream().map(this::probe).toList();
        return Uni.join().all(probes).andFailFast().map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("upstream")
                    .status(results.stream().anyMatch(Map.Entry::getValue));
            results.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a))
                    .forEach((endpoint, up) -> builder.withData(endpoint, up ? "reachable" : "unreachable"));
            return builder.build();
        });
    }

    private Uni<Map.Entry<String, Boolean>> probe(URI endpoint) {
        return netClient.connect(endpoint.getPort(), endpoint.getHost())
                .call(socket -> socket.close())
                .map(socket -> Map.entry(endpoint.toString(), true))
                .onFailure().recoverWithItem(Map.entry(endpoint.toString(), false));
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
