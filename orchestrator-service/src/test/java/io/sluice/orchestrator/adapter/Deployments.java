package io.sluice.orchestrator.adapter;

import java.time.Duration;
import java.util.Optional;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;

final class Deployments {
    private Deployments() {
    }

    static Deployment of(ProviderType provider, String baseUrl, String upstreamModel, String apiKey,
            String apiVersion) {
        return new Deployment("test-" + provider.name().toLowerCase(), "alias", provider, baseUrl, upstreamModel,
                Optional.ofNullable(apiKey), Optional.ofNullable(apiVersion), 1, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }
}
