package io.sluice.telemetry.rest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.sluice.contracts.rest.ApiException;
import io.sluice.telemetry.repository.UsageReportRepository.GroupKey;
import io.sluice.telemetry.rest.UsageRows.DayUsage;
import io.sluice.telemetry.rest.UsageRows.ModelUsage;
import io.sluice.telemetry.rest.UsageRows.TenantUsage;
import io.sluice.telemetry.service.UsageSums;

/** {@code group_by} of the cross-tenant report: its key column and the row it produces. */
enum GroupBy {
    TENANT("tenant_id", GroupKey.TENANT), MODEL("model", GroupKey.MODEL), DAY("date", GroupKey.DAY);

    private final String column;
    private final GroupKey key;

    GroupBy(String column, GroupKey key) {
        this.column = column;
        this.key = key;
    }

    static GroupBy parse(String value) {
        if (value == null || value.isBlank()) {
            return TENANT;
        }
        for (GroupBy groupBy : values()) {
            if (groupBy.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return groupBy;
            }
        }
        throw ApiException.badRequest("invalid_group_by", "group_by", "'group_by' must be tenant, model or day.");
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    GroupKey key() {
        return key;
    }

    List<String> csvColumns() {
        List<String> columns = new ArrayList<>(List.of(column));
        columns.addAll(UsageSums.COLUMNS);
        return columns;
    }

    Object row(Object keyValue, UsageSums sums) {
        return switch (this) {
            case TENANT -> new TenantUsage(UsageRows.absentAsNull((String) keyValue), sums);
            case MODEL -> new ModelUsage(UsageRows.absentAsNull((String) keyValue), sums);
            case DAY -> new DayUsage((LocalDate) keyValue, sums);
        };
    }
}
