package io.sluice.contracts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One usage event per request, written by the gateway to the Redis Stream {@link #STREAM} and turned into exactly
 * one ledger row by telemetry-service (idempotent on {@code requestId}). Stream entries are flat string maps, so
 * this record owns the field names in both directions.
 */
public record UsageEvent(
        String requestId,
        String tenantId,
        String keyId,
        String model,
        String provider,
        String deployment,
        int promptTokens,
        int completionTokens,
        long latencyMs,
        int status,
        Outcome outcome,
        boolean stream,
        long createdAtMillis) {

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

    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", requestId);
        fields.put("tenant_id", nullToEmpty(tenantId));
        fields.put("key_id", nullToEmpty(keyId));
        fields.put("model", nullToEmpty(model));
        fields.put("provider", nullToEmpty(provider));
        fields.put("deployment", nullToEmpty(deployment));
        fields.put("prompt_tokens", Integer.toString(promptTokens));
        fields.put("completion_tokens", Integer.toString(completionTokens));
        fields.put("latency_ms", Long.toString(latencyMs));
        fields.put("status", Integer.toString(status));
        fields.put("outcome", outcome.wire());
        fields.put("stream", Boolean.toString(stream));
        fields.put("created_at", Long.toString(createdAtMillis));
        return fields;
    }

    public static UsageEvent fromFields(Map<String, String> fields) {
        return new UsageEvent(
                required(fields, "request_id"),
                emptyToNull(fields.get("tenant_id")),
                emptyToNull(fields.get("key_id")),
                emptyToNull(fields.get("model")),
                emptyToNull(fields.get("provider")),
                emptyToNull(fields.get("deployment")),
                Integer.parseInt(fields.getOrDefault("prompt_tokens", "0")),
                Integer.parseInt(fields.getOrDefault("completion_tokens", "0")),
                Long.parseLong(fields.getOrDefault("latency_ms", "0")),
                Integer.parseInt(fields.getOrDefault("status", "0")),
                Outcome.valueOf(required(fields, "outcome").toUpperCase()),
                Boolean.parseBoolean(fields.get("stream")),
                Long.parseLong(required(fields, "created_at")));
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
}
