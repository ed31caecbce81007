package io.sluice.orchestrator.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.config.CatalogConfig;
import io.sluice.orchestrator.config.CatalogConfig.DeploymentConfig;
import io.sluice.orchestrator.config.CatalogConfig.DeploymentDefaults;
import io.sluice.orchestrator.config.ProviderLimitsConfig;

/**
 * The configured aliases and their deployments, validated and made immutable once at start-up: a catalogue with
 * duplicate deployment names, unknown providers or dangling fallbacks stops the service instead of misrouting.
 */
@ApplicationScoped
public class ModelCatalog {
    /** The one model a local-embeddings deployment can run (all-MiniLM-L6-v2, quantized, shipped in a jar). */
    public static final String LOCAL_EMBEDDING_MODEL = "all-minilm-l6-v2-q";

    private final Map<String, ModelRoute> routes;
    private final Map<String, Deployment> deployments;
    private final Map<String, DeploymentLimits> limits = new HashMap<>();

    public ModelCatalog(CatalogConfig config, ProviderLimitsConfig limitsConfig) {
        Map<String, ModelRoute> byAlias = new TreeMap<>();
        Map<String, Deployment> byName = new LinkedHashMap<>();
        config.models().forEach((alias, model) -> {
            if (!model.enabled()) {
                return;
            }
            if (model.deployments().isEmpty()) {
                throw new IllegalStateException("sluice.catalog.models." + alias + " has no deployments");
            }
            List<Deployment> built = new ArrayList<>();
            for (DeploymentConfig d : model.deployments()) {
                Deployment deployment = build(alias, d, config.defaults());
                if (byName.putIfAbsent(deployment.name(), deployment) != null) {
                    throw new IllegalStateException("deployment name '" + deployment.name() + "' is used twice");
                }
                built.add(deployment);
                limits.put(deployment.name(), limits(deployment, d, limitsConfig));
            }
            if (model.contextWindow() < 1) {
                throw new IllegalStateException("sluice.catalog.models." + alias + ".context-window must be positive");
            }
            byAlias.put(alias, new ModelRoute(alias, built, model.fallbacks().orElse(List.of()),
                    model.contextWindow()));
        });
        byAlias.values().forEach(route -> route.fallbacks().forEach(fallback -> {
            if (!byAlias.containsKey(fallback) || fallback.equals(route.alias())) {
                throw new IllegalStateException("model " + route.alias() + " falls back to unknown or disabled alias "
                        + fallback);
            }
        }));
        this.routes = Map.copyOf(byAlias);
        this.deployments = java.util.Collections.unmodifiableMap(byName);
    }

    /** The route for an alias, or a 404 {@code model_not_found} in OpenAI's format. */
    public ModelRoute resolve(String alias) {
        return find(alias).orElseThrow(() -> new ApiException(404, ApiError.of("invalid_request_error",
                "model_not_found", "The model '" + alias + "' does not exist or you do not have access to it.")));
    }

    public Optional<ModelRoute> find(String alias) {
        return alias == null ? Optional.empty() : Optional.ofNullable(routes.get(alias));
    }

    /** Aliases in alphabetical order. */
    public List<String> aliases() {
        return routes.keySet().stream().sorted().toList();
    }

    public Collection<Deployment> deployments() {
        return deployments.values();
    }

    /** Whether some deployment runs in-process (the local embedding model must then be loaded). */
    public boolean hasInProcessDeployments() {
        return deployments.values().stream().anyMatch(d -> d.provider().inProcess());
    }

    public Optional<Deployment> deployment(String name) {
        return Optional.ofNullable(deployments.get(name));
    }

    /** The provider quotas and bulkhead size of a deployment of this catalogue. */
    public DeploymentLimits limits(Deployment deployment) {
        return limits.get(deployment.name());
    }

    private static DeploymentLimits limits(Deployment deployment, DeploymentConfig d, ProviderLimitsConfig config) {
        if (deployment.provider().inProcess()) {
            // No provider to protect: what bounds an in-process model is its worker pool (sluice.local-embeddings).
            int concurrency = d.maxConcurrency().orElse(config.maxConcurrency());
            if (concurrency < 1) {
                throw new IllegalStateException("deployment " + d.name() + ": max-concurrency must be at least 1");
            }
            return new DeploymentLimits(Integer.MAX_VALUE, 0, concurrency, config.maxWait());
        }
        ProviderLimitsConfig.ProviderDefaults defaults = config.defaults().get(deployment.providerLabel());
        if (defaults == null && d.requestsPerMinute().isEmpty()) {
            throw new IllegalStateException("deployment " + d.name() + ": no requests-per-minute and no default "
                    + "sluice.provider-limits.defaults." + deployment.providerLabel() + ".requests-per-minute");
        }
        int rpm = d.requestsPerMinute().orElseGet(() -> defaults.requestsPerMinute());
        long tpm = d.tokensPerMinute().isPresent() ? d.tokensPerMinute().getAsLong()
                : defaults == null ? 0 : defaults.tokensPerMinute().orElse(0);
        // The type's hour and day defaults only for a deployment that states no request rate of its own: one that
        // does (the sim deployments' million a minute, say) states every window it wants, and gets no hidden one.
        boolean ownRates = d.requestsPerMinute().isPresent() || d.requestsPerHour().isPresent()
                || d.requestsPerDay().isPresent();
        long rph = d.requestsPerHour().isPresent() ? d.requestsPerHour().getAsLong()
                : ownRates || defaults == null ? 0 : defaults.requestsPerHour().orElse(0);
        long rpd = d.requestsPerDay().isPresent() ? d.requestsPerDay().getAsLong()
                : ownRates || defaults == null ? 0 : defaults.requestsPerDay().orElse(0);
        long tpd = d.tokensPerDay().isPresent() ? d.tokensPerDay().getAsLong()
                : defaults == null ? 0 : defaults.tokensPerDay().orElse(0);
        int concurrency = d.maxConcurrency().orElse(config.maxConcurrency());
        if (rpm < 1 || tpm < 0 || concurrency < 1) {
            throw new IllegalStateException("deployment " + d.name()
                    + ": requests-per-minute and max-concurrency must be at least 1, tokens-per-minute not negative");
        }
        if (d.requestsPerHour().isPresent() && rph < 1 || d.requestsPerDay().isPresent() && rpd < 1 || tpd < 0) {
            throw new IllegalStateException("deployment " + d.name()
                    + ": requests-per-hour and requests-per-day must be at least 1, tokens-per-day not negative");
        }
        return new DeploymentLimits(rpm, tpm, concurrency, d.maxLimitWait().orElse(config.maxWait()),
                Math.max(0, rph), Math.max(0, rpd), tpd);
    }

    private static Deployment build(String alias, DeploymentConfig d, DeploymentDefaults defaults) {
        ProviderType provider;
        try {
            provider = ProviderType.valueOf(d.provider().strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("deployment " + d.name() + ": unknown provider '" + d.provider()
                    + "' (openai, azure-openai, anthropic, gemini, local-embeddings)");
        }
        String baseUrl;
        String upstreamModel;
        if (provider.inProcess()) {
            upstreamModel = d.upstreamModel().map(String::strip).orElse(LOCAL_EMBEDDING_MODEL);
            if (!upstreamModel.equals(LOCAL_EMBEDDING_MODEL) || d.baseUrl().isPresent() || d.apiKey().isPresent()) {
                throw new IllegalStateException("deployment " + d.name() + ": local-embeddings runs the built-in "
                        + LOCAL_EMBEDDING_MODEL + " in-process: upstream-model may only be " + LOCAL_EMBEDDING_MODEL
                        + ", and it takes no base-url or api-key");
            }
            baseUrl = "";
        } else {
            String url = d.baseUrl().orElseThrow(() -> new IllegalStateException("deployment " + d.name()
                    + ": base-url is required"));
            upstreamModel = d.upstreamModel().orElseThrow(() -> new IllegalStateException("deployment " + d.name()
                    + ": upstream-model is required"));
            baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        int weight = d.weight().orElse(defaults.weight());
        if (weight < 1) {
            throw new IllegalStateException("deployment " + d.name() + ": weight must be at least 1");
        }
        OutputCapField outputCapField = d.outputCapField().map(String::strip)
                .map(field -> OutputCapField.named(field).orElseThrow(() -> new IllegalStateException("deployment "
                        + d.name() + ": output-cap-field must be max_completion_tokens or max_tokens")))
                .orElse(OutputCapField.MAX_COMPLETION_TOKENS);
        return new Deployment(d.name(), alias, provider, baseUrl, upstreamModel,
                d.apiKey().filter(key -> !key.isBlank()), d.apiVersion().filter(v -> !v.isBlank()), weight,
                d.priority().orElse(defaults.priority()),
                d.connectTimeout().orElse(defaults.connectTimeout()),
                d.firstTokenTimeout().orElse(defaults.firstTokenTimeout()),
                d.totalTimeout().orElse(defaults.totalTimeout()), outputCapField);
    }
}
