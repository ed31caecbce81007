package io.sluice.telemetry.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.telemetry.repository.ComponentStatsRepository;
import io.sluice.telemetry.repository.ComponentStatsRepository.Calls;
import io.sluice.telemetry.repository.ComponentStatsRepository.Errors;
import io.sluice.telemetry.repository.UsageReportRepository;
import io.sluice.telemetry.repository.UsageReportRepository.DayModel;
import io.sluice.telemetry.repository.UsageReportRepository.Group;
import io.sluice.telemetry.repository.UsageReportRepository.GroupKey;
import io.smallrye.mutiny.Uni;

/** Usage and cost reports over UTC days, per tenant or across tenants, with the month-end projection. */
@ApplicationScoped
public class UsageReportService {
    private static final int COMPLETE_DAYS_FOR_PROJECTION = 7;

    private final UsageReportRepository usage;
    private final ComponentStatsRepository components;
    private final Clock clock = Clock.systemUTC();

    public UsageReportService(UsageReportRepository usage, ComponentStatsRepository components) {
        this.usage = usage;
        this.components = components;
    }

    public record TenantReport(List<DayModel> byDayAndModel, BigDecimal projectedMonthEndCostUsd) {
    }

    public record GroupedReport(List<Group<Object>> groups, BigDecimal projectedMonthEndCostUsd) {
    }

    public record ComponentReport(List<Calls> calls, List<Errors> errors) {
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    public Uni<TenantReport> tenantReport(String tenantId, ReportRange range) {
        Optional<String> tenant = Optional.of(tenantId);
        return usage.byDayAndModel(range, tenant)
                .chain(rows -> projectedMonthEnd(tenant).map(projection -> new TenantReport(rows, projection)));
    }

    public Uni<GroupedReport> acrossTenants(GroupKey key, ReportRange range) {
        return usage.groupedBy(key, range)
                .chain(rows -> projectedMonthEnd(Optional.empty())
                        .map(projection -> new GroupedReport(rows, projection)));
    }

    public Uni<ComponentReport> components(ReportRange range) {
        return components.calls(range)
                .chain(calls -> components.errors(range).map(errors -> new ComponentReport(calls, errors)));
    }

    /**
     * Month-to-date cost (today included so far) plus the average daily cost of the last seven complete days times
     * the days left in the month after today. Rounded to micro-USD.
     */
    private Uni<BigDecimal> projectedMonthEnd(Optional<String> tenant) {
        LocalDate today = today();
        int daysLeft = today.lengthOfMonth() - today.getDayOfMonth();
        return usage.projectionBasis(today, tenant).map(basis -> basis.monthToDate()
                .add(basis.lastSevenCompleteDays().multiply(BigDecimal.valueOf(daysLeft))
                        .divide(BigDecimal.valueOf(COMPLETE_DAYS_FOR_PROJECTION), 6, RoundingMode.HALF_UP))
                .setScale(6, RoundingMode.HALF_UP));
    }
}
