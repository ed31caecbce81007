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
import io.sluice.orchestrator.embedding.LocalEmbeddingModel;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetClient;

/**
 * Ready when at least one provider endpoint of the catalogue accepts a TCP connection, or the local embedding model
 * is loaded: without any, no request can be served; with some, the router routes around the others. Each endpoint is
 * probed once however many deployments share it, and reported in the check's data, as is the local model's state.
 */
@Readiness
@ApplicationScoped
public class UpstreamReachableCheck implements AsyncHealthCheck {
    private final NetClient netClient;
    private final List<URI> endpoints;
    private final LocalEmbeddingModel localModel;
    private final boolean localModelWanted;

    public UpstreamReachableCheck(Vertx vertx, ModelCatalog catalog, LocalEmbeddingModel localModel) {
        this.localModel = localModel;
        this.localModelWanted = catalog.hasInProcessDeployments();
        this.netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
        this.endpoints = catalog.deployments().stream()
                .filter(d -> !d.provider().inProcess())
                .map(d -> URI.create(d.baseUrl()))
                .map(uri -> URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port(uri)))
                .distinct()
                .toList();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Map.Entry<String, Boolean>>> probes = endpoints.stream().map(this::probe).toList();
        Uni<List<Map.Entry<String, Boolean>>> probed = probes.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(probes).andFailFast();
        return probed.map(results -> {
            boolean localReady = localModelWanted && localModel.state() == LocalEmbeddingModel.State.READY;
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("upstream")
                    .status(localReady || results.stream().anyMatch(Map.Entry::getValue));
            if (localModelWanted) {
                builder.withData("local:" + ModelCatalog.LOCAL_EMBEDDING_MODEL,
                        localModel.state().name().toLowerCase(java.util.Locale.ROOT));
            }
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
