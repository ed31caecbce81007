package io.sluice.orchestrator.catalog;

import java.util.List;

/** One alias of the catalogue: the deployments that serve it and the aliases to fall back to, in order. */
public record ModelRoute(String alias, List<Deployment> deployments, List<String> fallbacks) {
    public ModelRoute {
        deployments = List.copyOf(deployments);
        fallbacks = List.copyOf(fallbacks);
    }
}
