package io.sluice.contracts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One usage event per request, written by the gateway to the Redis Stream {@link #STREAM} and turned into exactly
 * one priced ledger row by telemetry-service (idempotent on {@code requestId}). The gateway writes it when the
 * request ends, with what the orchestrator reported about the upstream call (deployment, provider, cached tokens,
 * time to first token). Stream entries are flat string maps, so this record owns the field names both ways.
 *
 * @param tier the tenant's plan when the request was admitted; a bounded metric label
 * @param cachedTokens prompt tokens the provider served from its prompt cache (part of {@code promptTokens})
 * @param timeToFirstTokenMs for streams, until the first content chunk reached the gateway; {@code -1} if none
 * @param cacheHit whether the answer came from the gateway's response cache instead of a provider
 * @param endpoint the public API the request came through: {@code chat}, {@code embeddings}, {@code messages},
 *        {@code responses}
 * @param responseId the stored response ({@code resp_…}) a Responses API request created; {@code null} otherwise
 * @param conversationId the conversation ({@code conv_…}) the request extended; {@code null} otherwise
 */
public record UsageEvent(
        String requestId,
        String tenantId,
        String keyId,
        String tier,
        String model,
        String provider,
        String deployment,
        int promptTokens,
        int completionTokens,
        int cachedTokens,
        long latencyMs,
        long timeToFirstTokenMs,
        int status,
        Outcome outcome,
        boolean stream,
        boolean cacheHit,
        long createdAtMillis,
        String endpoint,
        String responseId,
        String conversationId) {

    /** Redis Stream key; bounded by approximate MAXLEN trimming at the producer. */
    public static final String STREAM = "sluice:usage";

    public enum Outcome {
        SUCCESS, ERROR, INCOMPLETE, REJECTED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public UsageEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Builder builder(String requestId) {
        return new Builder(requestId);
    }

    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", requestId);
        fields.put("tenant_id", nullToEmpty(tenantId));
        fields.put("key_id", nullToEmpty(keyId));
        fields.put("tier", nullToEmpty(tier));
        fields.put("model", nullToEmpty(model));
        fields.put("provider", nullToEmpty(provider));
        fields.put("deployment", nullToEmpty(deployment));
        fields.put("prompt_tokens", Integer.toString(promptTokens));
        fields.put("completion_tokens", Integer.toString(completionTokens));
        fields.put("cached_tokens", Integer.toString(cachedTokens));
        fields.put("latency_ms", Long.toString(latencyMs));
        fields.put("ttft_ms", Long.toString(timeToFirstTokenMs));
        fields.put("status", Integer.toString(status));
        fields.put("outcome", outcome.wire());
        fields.put("stream", Boolean.toString(stream));
        fields.put("cache_hit", Boolean.toString(cacheHit));
        fields.put("created_at", Long.toString(createdAtMillis));
        fields.put("endpoint", nullToEmpty(endpoint));
        fields.put("response_id", nullToEmpty(responseId));
        fields.put("conversation_id", nullToEmpty(conversationId));
        return fields;
    }

    /** Reads an entry; fields added after an entry was written (an older producer) take their neutral value. */
    public static UsageEvent fromFields(Map<String, String> fields) {
        return new UsageEvent(
                required(fields, "request_id"),
                emptyToNull(fields.get("tenant_id")),
                emptyToNull(fields.get("key_id")),
                emptyToNull(fields.get("tier")),
                emptyToNull(fields.get("model")),
                emptyToNull(fields.get("provider")),
                emptyToNull(fields.get("deployment")),
                Integer.parseInt(fields.getOrDefault("prompt_tokens", "0")),
                Integer.parseInt(fields.getOrDefault("completion_tokens", "0")),
                Integer.parseInt(fields.getOrDefault("cached_tokens", "0")),
                Long.parseLong(fields.getOrDefault("latency_ms", "0")),
                Long.parseLong(fields.getOrDefault("ttft_ms", "-1")),
                Integer.parseInt(fields.getOrDefault("status", "0")),
                Outcome.valueOf(required(fields, "outcome").toUpperCase()),
                Boolean.parseBoolean(fields.get("stream")),
                Boolean.parseBoolean(fields.get("cache_hit")),
                Long.parseLong(required(fields, "created_at")),
                emptyToNull(fields.get("endpoint")),
                emptyToNull(fields.get("response_id")),
                emptyToNull(fields.get("conversation_id")));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("usage event without " + name);
        }
        return value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Names every field at the call site: seventeen positional arguments invite swapped tokens. */
    public static final class Builder {
        private final String requestId;
        private String tenantId;
        private String keyId;
        private String tier;
        private String model;
        private String provider;
        private String deployment;
        private int promptTokens;
        private int completionTokens;
        private int cachedTokens;
        private long latencyMs;
        private long timeToFirstTokenMs = -1;
        private int status;
        private Outcome outcome = Outcome.SUCCESS;
        private boolean stream;
        private boolean cacheHit;
        private long createdAtMillis = System.currentTimeMillis();
        private String endpoint;
        private String responseId;
        private String conversationId;

        private Builder(String requestId) {
            this.requestId = requestId;
        }

        public Builder tenant(String tenantId, String keyId, String tier) {
            this.tenantId = tenantId;
            this.keyId = keyId;
            this.tier = tier;
            return this;
        }

        public Builder route(String model, String provider, String deployment) {
            this.model = model;
            this.provider = provider;
            this.deployment = deployment;
            return this;
        }

        public Builder tokens(int prompt, int completion, int cached) {
            this.promptTokens = prompt;
            this.completionTokens = completion;
            this.cachedTokens = cached;
            return this;
        }

        public Builder timing(long latencyMs, long timeToFirstTokenMs) {
            this.latencyMs = latencyMs;
            this.timeToFirstTokenMs = timeToFirstTokenMs;
            return this;
        }

        public Builder result(int status, Outcome outcome) {
            this.status = status;
            this.outcome = outcome;
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder cacheHit(boolean cacheHit) {
            this.cacheHit = cacheHit;
            return this;
        }

        public Builder createdAt(long createdAtMillis) {
            this.createdAtMillis = createdAtMillis;
            return this;
        }

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The stored response and conversation a Responses API request created or extended. */
        public Builder memory(String responseId, String conversationId) {
            this.responseId = responseId;
            this.conversationId = conversationId;
            return this;
        }

        public UsageEvent build() {
            return new UsageEvent(requestId, tenantId, keyId, tier, model, provider, deployment, promptTokens,
                    completionTokens, cachedTokens, latencyMs, timeToFirstTokenMs, status, outcome, stream, cacheHit,
                    createdAtMillis, endpoint, responseId, conversationId);
        }
    }
}
