package io.sluice.telemetry.entity;

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

    public String model;

    public String provider;

    public String deployment;

    @Column(name = "prompt_tokens")
    public Integer promptTokens;

    @Column(name = "completion_tokens")
    public Integer completionTokens;

    @Column(name = "latency_ms")
    public Long latencyMs;

    public Integer status;

    /** The event's outcome in its wire form: success, error, incomplete, rejected. */
    public String outcome;

    public Boolean stream;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** Set by the database when the row is inserted. */
    @Column(name = "recorded_at", insertable = false, updatable = false)
    public OffsetDateTime recordedAt;
}
