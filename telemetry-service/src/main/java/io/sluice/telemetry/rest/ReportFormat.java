package io.sluice.telemetry.rest;

import java.util.Locale;

import io.sluice.contracts.rest.ApiException;

/** How a report is rendered: {@code format=json} (default) or {@code format=csv}. */
enum ReportFormat {
    JSON, CSV;

    static ReportFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return JSON;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "csv" -> CSV;
            default -> throw ApiException.badRequest("invalid_format", "format", "'format' must be json or csv.");
        };
    }
}
