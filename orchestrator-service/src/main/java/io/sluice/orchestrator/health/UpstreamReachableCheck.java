package io.sluice.orchestrator.health;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.sluice.orchestrator.config.UpstreamConfig;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetClient;

/** Ready only when the upstream accepts a TCP connection: without one, no request can be served. */
@Readiness
@ApplicationScoped
public class UpstreamReachableCheck implements AsyncHealthCheck {
    private final NetClient netClient;
    private final URI upstream;
    private final String deployment;

    public UpstreamReachableCheck(Vertx vertx, UpstreamConfig config) {
        this.netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
        this.upstream = URI.create(config.baseUrl());
        this.deployment = config.deployment();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int port = upstream.getPort() != -1 ? upstream.getPort() : "https".equals(upstream.getScheme()) ? 443 : 80;
        return netClient.connect(port, upstream.getHost())
                .call(socket -> socket.close())
                .map(socket -> HealthCheckResponse.named("upstream").up().withData(deployment, "reachable").build())
                .onFailure().recoverWithItem(err -> HealthCheckResponse.named("upstream").down()
                        .withData(deployment, err.getClass().getSimpleName()).build());
    }
}
