package io.sluice.telemetry.rest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.repository.ComponentStatsRepository.Calls;
import io.sluice.telemetry.service.ReportRange;
import io.sluice.telemetry.service.UsageReportService.ComponentReport;

/**
 * Calls, outcomes and latency per provider and deployment (requests that never reached one have both null), and
 * overall. Computed from raw ledger rows: covers the last {@code sluice.ledger.retention.raw-days} days only.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ComponentUsageResponse(String object, LocalDate from, LocalDate to, List<Component> data,
        Component overall) {

    public static ComponentUsageResponse from(ReportRange range, ComponentReport report) {
        List<Component> data = new ArrayList<>();
        Component overall = new Component(null, null, 0, 0, 0, new Latency(null, null, null, null), List.of());
        for (Calls calls : report.calls()) {
            List<ErrorCount> errors = report.errors().stream()
                    .filter(e -> e.overall() == calls.overall() && Objects.equals(e.provider(), calls.provider())
                            && Objects.equals(e.deployment(), calls.deployment()))
                    .map(e -> new ErrorCount(e.status(), e.outcome(), e.count()))
                    .toList();
            Component component = new Component(calls.provider(), calls.deployment(), calls.calls(),
                    calls.successes(), calls.failures(), new Latency(calls.averageLatencyMs(), calls.minLatencyMs(),
                            calls.maxLatencyMs(), calls.p95LatencyMs()), errors);
            if (calls.overall()) {
                overall = component;
            } else {
                data.add(component);
            }
        }
        return new ComponentUsageResponse("component_usage", range.from(), range.to(), data, overall);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Component(String provider, String deployment, long calls, long successes, long failures,
            Latency latencyMs, List<ErrorCount> errorsByType) {
    }

    /** Whole request latency at the gateway in milliseconds; null when there were no calls. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(Double avg, Long min, Long max, Double p95) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ErrorCount(int status, String outcome, long count) {
    }
}
