package io.sluice.telemetry.entity;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One ledger row: the usage of one request, keyed by its request id. */
@Entity
@Table(name = "usage_records")
public class UsageRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "request_id", nullable = false, unique = true)
    public String requestId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "key_id")
    public String keyId;

    /** The tenant's plan when the request was admitted. */
    public String tier;

    public String model;

    public String provider;

    public String deployment;

    @Column(name = "prompt_tokens")
    public Integer promptTokens;

    @Column(name = "completion_tokens")
    public Integer completionTokens;

    /** Prompt tokens served from the provider's prompt cache (part of promptTokens). */
    @Column(name = "cached_tokens")
    public Integer cachedTokens;

    @Column(name = "latency_ms")
    public Long latencyMs;

    /** Time to first token of a stream; null when there was none. */
    @Column(name = "ttft_ms")
    public Long ttftMs;

    public Integer status;

    /** The event's outcome in its wire form: success, error, incomplete, rejected. */
    public String outcome;

    public Boolean stream;

    @Column(name = "cache_hit")
    public Boolean cacheHit;

    /** Priced from the price table when the row was inserted. */
    @Column(name = "cost_usd", precision = 18, scale = 6)
    public BigDecimal costUsd;

    /** For a response cache hit (cost 0): what its tokens would have cost; 0 for every other row. */
    @Column(name = "saved_cost_usd", precision = 18, scale = 6)
    public BigDecimal savedCostUsd;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** The public API of the request (chat, embeddings, messages, responses); null in rows from older events. */
    public String endpoint;

    /** The stored response (resp_…) a Responses API request created; null otherwise. */
    @Column(name = "response_id")
    public String responseId;

    /** The conversation (conv_…) the request extended; null otherwise. */
    @Column(name = "conversation_id")
    public String conversationId;

    /** Set by the database when the row is inserted. */
    @Column(name = "recorded_at", insertable = false, updatable = false)
    public OffsetDateTime recordedAt;
}
