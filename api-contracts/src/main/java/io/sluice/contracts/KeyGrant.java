package io.sluice.contracts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What an active API key may do, as quota-service answers {@code GET /internal/keys/{sha256}} and the gateway
 * caches it: whose key it is, the tenant's effective limits (plan, then the tenant's overrides), the key's own
 * limits (each {@code null} = only the tenant's apply), the tenant's USD budgets ({@code null} = none) and the model
 * allow-list ({@code null} = all), the response-cache policy in effect for the key ({@code null} = off), and the
 * tenant's conversation-memory policy ({@code null} = the defaults, {@link MemoryPolicy#DEFAULT}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyGrant(
        String keyId,
        String tenantId,
        String tenantName,
        String plan,
        PlanLimits limits,
        KeyLimits keyLimits,
        Budgets budgets,
        List<String> models,
        Instant expiresAt,
        CachePolicy cache,
        MemoryPolicy memory) {

    /** A grant without a cache policy: the response cache is off for the key. */
    public KeyGrant(String keyId, String tenantId, String tenantName, String plan, PlanLimits limits,
            KeyLimits keyLimits, Budgets budgets, List<String> models, Instant expiresAt) {
        this(keyId, tenantId, tenantName, plan, limits, keyLimits, budgets, models, expiresAt, null, null);
    }

    /** A grant with the default conversation-memory policy. */
    public KeyGrant(String keyId, String tenantId, String tenantName, String plan, PlanLimits limits,
            KeyLimits keyLimits, Budgets budgets, List<String> models, Instant expiresAt, CachePolicy cache) {
        this(keyId, tenantId, tenantName, plan, limits, keyLimits, budgets, models, expiresAt, cache, null);
    }

    /** The memory policy in effect: the tenant's, else the defaults. */
    public MemoryPolicy memoryPolicy() {
        return memory == null ? MemoryPolicy.DEFAULT : memory;
    }

    /** The tenant's limits, shared by all its keys. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlanLimits(long requestsPerMinute, long requestsPerHour, long requestsPerDay, long tokensPerDay) {
    }

    /** Limits of one key on top of its tenant's; a {@code null} field sets no key-level limit. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KeyLimits(Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay, Long tokensPerDay) {
    }

    /** USD budgets of the tenant per UTC day and calendar month (UTC); a {@code null} field sets no budget. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Budgets(BigDecimal dailyUsd, BigDecimal monthlyUsd) {
    }

    /**
     * The response cache for one key, as quota-service resolves it: the key's own setting, else its tenant's; the
     * TTL already capped by the plan.
     *
     * @param ttlSeconds how long a stored answer may be served
     * @param maxBytes the tenant's byte budget for stored answers (least recently used entries are evicted beyond it)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CachePolicy(CacheMode mode, long ttlSeconds, CacheNamespaces namespaces, long maxBytes) {

        public boolean enabled() {
            return mode != null && mode != CacheMode.OFF;
        }
    }

    /**
     * Conversation memory of the tenant (Responses and Conversations APIs), as quota-service resolves it: the
     * tenant's override, else its plan's. The gateway passes it to the orchestrator on every memory request
     * ({@link RelayHeaders#MEMORY_POLICY}).
     *
     * @param maxItems items a conversation or response chain keeps (the oldest are pruned on every append)
     * @param retentionDays days a stored response or conversation is kept after its last write
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MemoryPolicy(int maxItems, int retentionDays) {
        public static final int MAX_ITEMS_LIMIT = 10_000;
        public static final int MAX_RETENTION_DAYS = 3_650;
        public static final MemoryPolicy DEFAULT = new MemoryPolicy(100, 30);

        public MemoryPolicy {
            if (maxItems < 1 || maxItems > MAX_ITEMS_LIMIT) {
                throw new IllegalArgumentException("max_items must be within 1.." + MAX_ITEMS_LIMIT);
            }
            if (retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
                throw new IllegalArgumentException("retention_days must be within 1.." + MAX_RETENTION_DAYS);
            }
        }

        /** The header value: {@code maxItems,retentionDays}. */
        public String wire() {
            return maxItems + "," + retentionDays;
        }

        /** Reads {@link #wire()}; {@code null} or malformed gives {@code null}. */
        public static MemoryPolicy fromWire(String value) {
            if (value == null) {
                return null;
            }
            int comma = value.indexOf(',');
            try {
                return comma < 0 ? null : new MemoryPolicy(Integer.parseInt(value.substring(0, comma)),
                        Integer.parseInt(value.substring(comma + 1)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** What the response cache does for a key. */
    public enum CacheMode {
        /** Nothing is read or written. */
        @JsonProperty("off") OFF,
        /** Answers are reused for requests whose answer-changing fields are identical. */
        @JsonProperty("exact") EXACT,
        /** As exact, and the last user message may be a rephrasing within the similarity threshold. */
        @JsonProperty("semantic") SEMANTIC
    }

    /** Who shares stored answers, and whether a client may pick a namespace ({@code x-sluice-cache-namespace}). */
    public enum CacheNamespaces {
        /** Every key of the tenant shares entries; the header selects a namespace within the tenant. */
        @JsonProperty("tenant") TENANT,
        /** Each key has its own entries; the header selects a namespace within the key's. */
        @JsonProperty("key") KEY,
        /** Every key of the tenant shares one namespace; a request that names one is refused (400). */
        @JsonProperty("none") NONE
    }

    /** Whether the key is past its expiry (a rotated key expires at the end of its grace period). */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** An absent or empty allow-list admits every model. */
    public boolean allowsModel(String model) {
        return models == null || models.isEmpty() || models.contains(model);
    }
}
