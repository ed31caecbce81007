package io.sluice.telemetry.rest;

import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.service.UsageSums;

/** The rows of the usage reports: a key (date, model, tenant) followed by the {@link UsageSums} fields. */
public final class UsageRows {
    private UsageRows() {
    }

    /** Absent models and tenants are stored as '' in the rollups; reports show them as null. */
    static String absentAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DayModelUsage(LocalDate date, String model, @JsonUnwrapped UsageSums usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelUsage(String model, @JsonUnwrapped UsageSums usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TenantUsage(String tenantId, @JsonUnwrapped UsageSums usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DayUsage(LocalDate date, @JsonUnwrapped UsageSums usage) {
    }
}
