package io.sluice.orchestrator.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The model catalogue: each alias clients send as {@code model} maps to one or more deployments and, optionally, to
 * other aliases to fall back to. Timeouts and weights left out of a deployment come from {@link #defaults()}.
 */
@ConfigMapping(prefix = "sluice.catalog")
public interface CatalogConfig {

    DeploymentDefaults defaults();

    Map<String, ModelConfig> models();

    interface ModelConfig {
        /** A disabled alias is left out of the catalogue (e.g. the built-in simulated models in production). */
        @WithDefault("true")
        boolean enabled();

        List<DeploymentConfig> deployments();

        /** Aliases tried, in order, when every deployment of this one failed. */
        Optional<List<String>> fallbacks();

        /**
         * Tokens the alias's models accept in one request, prompt and output together (the smallest of its
         * deployments'). The Responses API fits stored history into it ({@code truncation}).
         */
        @WithDefault("128000")
        int contextWindow();
    }

    interface DeploymentConfig {
        /** Unique across the catalogue: it names the deployment's circuit breaker and metrics. */
        String name();

        /** openai, azure-openai, anthropic, gemini or local-embeddings (the built-in model). */
        String provider();

        /**
         * The provider's API base URL; for OpenAI-compatible providers including {@code /v1}. Required but for
         * local-embeddings, which has none.
         */
        Optional<String> baseUrl();

        /** The provider's model name; for local-embeddings {@code all-minilm-l6-v2-q}, the only one built in. */
        Optional<String> upstreamModel();

        /** From an environment variable or a Kubernetes Secret; never logged. */
        Optional<String> apiKey();

        Optional<String> apiVersion();

        OptionalInt weight();

        OptionalInt priority();

        Optional<Duration> connectTimeout();

        Optional<Duration> firstTokenTimeout();

        Optional<Duration> totalTimeout();

        /** The provider's request quota for this deployment; unset means the provider type's default. */
        OptionalInt requestsPerMinute();

        /** The provider's token quota (prompt + completion); unset means the provider type's default, if any. */
        OptionalLong tokensPerMinute();

        /**
         * The provider's requests per hour and per day for this deployment; unset means the provider type's default
         * when the deployment sets no request rate of its own at all, else no limit for that window.
         */
        OptionalLong requestsPerHour();

        OptionalLong requestsPerDay();

        /** The provider's tokens per day (prompt + completion); unset means the provider type's default, if any. */
        OptionalLong tokensPerDay();

        /** Most calls in flight to this deployment at once (its bulkhead). */
        OptionalInt maxConcurrency();

        /** Longest a request waits for this deployment's quota window to turn before a 429. */
        Optional<Duration> maxLimitWait();

        /**
         * The request field that carries the gateway's output cap when the client set none:
         * {@code max_completion_tokens} (the default) or {@code max_tokens}, for OpenAI-compatible servers that only
         * know the older field (such as older vLLM). Anthropic and Gemini deployments map either to their own.
         */
        Optional<String> outputCapField();
    }

    interface DeploymentDefaults {
        /** Share of traffic among deployments of the same priority. */
        @WithDefault("1")
        int weight();

        /** Lower values are tried first; higher ones only when all lower ones are unavailable or failed. */
        @WithDefault("0")
        int priority();

        @WithDefault("2s")
        Duration connectTimeout();

        /** Time to the first byte of the answer (headers and first chunk). */
        @WithName("first-token-timeout")
        @WithDefault("30s")
        Duration firstTokenTimeout();

        @WithDefault("120s")
        Duration totalTimeout();
    }
}
