package io.sluice.gateway.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.gateway.config.MetricsConfig;

/**
 * Keeps the {@code model} label bounded. A client can put any string in {@code model}; only names the orchestrator
 * has routed (catalogue aliases) become label values, up to a configured number; everything else is "other".
 */
@ApplicationScoped
public class ModelLabels {
    static final String OTHER = "other";

    private final Set<String> routed = ConcurrentHashMap.newKeySet();
    private final int maxModels;

    public ModelLabels(MetricsConfig config) {
        this.maxModels = config.maxModelLabels();
    }

    /** The label for a request's model; {@code routedToDeployment} says the orchestrator knew the model. */
    public String of(String model, boolean routedToDeployment) {
        if (model == null) {
            return OTHER;
        }
        if (routed.contains(model)) {
            return model;
        }
        if (routedToDeployment && routed.size() < maxModels) {
            routed.add(model);
            return model;
        }
        return OTHER;
    }
}
