package io.sluice.gateway.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.metrics.BoundedLabelValues;
import io.sluice.gateway.config.MetricsConfig;

/**
 * Keeps the {@code model} label bounded. A client can put any string in {@code model}; only names the orchestrator
 * has routed (catalogue aliases) become label values, up to a configured number; everything else is "other".
 */
@ApplicationScoped
public class ModelLabels {
    static final String OTHER = BoundedLabelValues.OTHER;

    private final BoundedLabelValues models;

    public ModelLabels(MetricsConfig config) {
        this.models = new BoundedLabelValues(config.maxModelLabels());
    }

    /** The label for a request's model; {@code routedToDeployment} says the orchestrator knew the model. */
    public String of(String model, boolean routedToDeployment) {
        return models.of(model, routedToDeployment);
    }
}
