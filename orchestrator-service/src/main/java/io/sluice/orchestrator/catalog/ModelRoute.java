package io.sluice.orchestrator.catalog;

import java.util.List;

/**
 * One alias of the catalogue: the deployments that serve it, the aliases to fall back to, in order, and the
 * tokens one request to it may hold (prompt and output).
 */
public record ModelRoute(String alias, List<Deployment> deployments, List<String> fallbacks, int contextWindow) {
    public ModelRoute {
        deployments = List.copyOf(deployments);
        fallbacks = List.copyOf(fallbacks);
    }
}
