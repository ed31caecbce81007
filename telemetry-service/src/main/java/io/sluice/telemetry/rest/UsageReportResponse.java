package io.sluice.telemetry.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.rest.UsageRows.DayModelUsage;
import io.sluice.telemetry.rest.UsageRows.ModelUsage;
import io.sluice.telemetry.repository.UsageReportRepository.DayModel;
import io.sluice.telemetry.service.ReportRange;
import io.sluice.telemetry.service.UsageReportService.TenantReport;
import io.sluice.telemetry.service.UsageSums;

/**
 * One tenant's usage by UTC day and model ({@code GET /v1/usage} through the gateway). {@code cost_usd} values are
 * JSON numbers with six decimals.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageReportResponse(
        String object,
        String tenantId,
        LocalDate from,
        LocalDate to,
        List<DayModelUsage> data,
        List<ModelUsage> byModel,
        UsageSums total,
        BigDecimal projectedMonthEndCostUsd) {

    public static final String OBJECT = "usage_report";
    /** The CSV form's columns: one line per day and model, the JSON {@code data} rows. */
    public static final List<String> CSV_COLUMNS = csvColumns();

    public static UsageReportResponse from(String tenantId, ReportRange range, TenantReport report) {
        List<DayModelUsage> data = new ArrayList<>();
        List<ModelUsage> byModel = new ArrayList<>();
        UsageSums total = UsageSums.NONE;
        for (DayModel row : report.byDayAndModel()) {
            String model = UsageRows.absentAsNull(row.model());
            if (row.day() != null) {
                data.add(new DayModelUsage(row.day(), model, row.sums()));
            } else if (row.model() != null) {
                byModel.add(new ModelUsage(model, row.sums()));
            } else {
                total = row.sums();
            }
        }
        return new UsageReportResponse(OBJECT, tenantId, range.from(), range.to(), data, byModel, total,
                report.projectedMonthEndCostUsd());
    }

    private static List<String> csvColumns() {
        List<String> columns = new ArrayList<>(List.of("date", "model"));
        columns.addAll(UsageSums.COLUMNS);
        return List.copyOf(columns);
    }
}
