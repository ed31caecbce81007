package io.sluice.orchestrator.adapter;

import java.time.Duration;
import java.util.Optional;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.OutputCapField;
import io.sluice.orchestrator.catalog.ProviderType;

final class Deployments {
    /** The stream event bound the adapter tests translate with (sluice.upstream.max-sse-event-bytes' default). */
    static final int MAX_EVENT_BYTES = 1 << 20;

    private Deployments() {
    }

    static Deployment of(ProviderType provider, String baseUrl, String upstreamModel, String apiKey,
            String apiVersion) {
        return withOutputCapField(provider, baseUrl, upstreamModel, apiKey, apiVersion, OutputCapField.MAX_COMPLETION_TOKENS);
    }

    static Deployment withOutputCapField(ProviderType provider, String baseUrl, String upstreamModel, String apiKey,
            String apiVersion, OutputCapField outputCapField) {
        return new Deployment("test-" + provider.name().toLowerCase(), "alias", provider, baseUrl, upstreamModel,
                Optional.ofNullable(apiKey), Optional.ofNullable(apiVersion), 1, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(30), outputCapField);
    }
}
