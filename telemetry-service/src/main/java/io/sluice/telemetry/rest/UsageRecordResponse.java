package io.sluice.telemetry.rest;

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
        String model,
        String provider,
        String deployment,
        Integer promptTokens,
        Integer completionTokens,
        Long latencyMs,
        Integer status,
        String outcome,
        Boolean stream,
        Instant createdAt) {

    public static UsageRecordResponse from(UsageRecord record) {
        return new UsageRecordResponse(record.requestId, record.tenantId, record.keyId, record.model,
                record.provider, record.deployment, record.promptTokens, record.completionTokens, record.latencyMs,
                record.status, record.outcome, record.stream,
                record.createdAt == null ? null : record.createdAt.toInstant());
    }
}
