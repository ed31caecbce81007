package io.sluice.telemetry.rest;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.entity.UsageRecord;

/** A ledger record as the internal API shows it (snake_case, like the usage event's fields). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageRecordResponse(
        String requestId,
        String tenantId,
        String keyId,
        String tier,
        String model,
        String provider,
        String deployment,
        Integer promptTokens,
        Integer completionTokens,
        Integer cachedTokens,
        Long latencyMs,
        Long ttftMs,
        Integer status,
        String outcome,
        Boolean stream,
        Boolean cacheHit,
        BigDecimal costUsd,
        BigDecimal savedCostUsd,
        Instant createdAt,
        String endpoint,
        String responseId,
        String conversationId) {

    public static UsageRecordResponse from(UsageRecord record) {
        return new UsageRecordResponse(record.requestId, record.tenantId, record.keyId, record.tier, record.model,
                record.provider, record.deployment, record.promptTokens, record.completionTokens,
                record.cachedTokens, record.latencyMs, record.ttftMs, record.status, record.outcome, record.stream,
                record.cacheHit, record.costUsd, record.savedCostUsd,
                record.createdAt == null ? null : record.createdAt.toInstant(), record.endpoint, record.responseId,
                record.conversationId);
    }
}
