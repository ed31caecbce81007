package io.sluice.telemetry.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.repository.UsageReportRepository.Group;
import io.sluice.telemetry.service.ReportRange;
import io.sluice.telemetry.service.UsageReportService.GroupedReport;
import io.sluice.telemetry.service.UsageSums;

/** Usage across tenants, one row per tenant, model or day ({@code group_by}), with the total and the projection. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AdminUsageResponse(
        String object,
        LocalDate from,
        LocalDate to,
        String groupBy,
        List<?> data,
        UsageSums total,
        BigDecimal projectedMonthEndCostUsd) {

    public static AdminUsageResponse from(ReportRange range, GroupBy groupBy, GroupedReport report) {
        List<Object> data = new ArrayList<>();
        UsageSums total = UsageSums.NONE;
        for (Group<Object> group : report.groups()) {
            if (group.key() == null) {
                total = group.sums();
            } else {
                data.add(groupBy.row(group.key(), group.sums()));
            }
        }
        return new AdminUsageResponse(UsageReportResponse.OBJECT, range.from(), range.to(), groupBy.wire(), data,
                total, report.projectedMonthEndCostUsd());
    }
}
