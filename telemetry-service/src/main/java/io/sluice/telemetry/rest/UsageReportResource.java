package io.sluice.telemetry.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.guard.service.InternalApi;
import io.sluice.telemetry.service.ReportRange;
import io.sluice.telemetry.service.UsageReportService;
import io.smallrye.mutiny.Uni;

/**
 * One tenant's usage report for the gateway, which serves it as {@code GET /v1/usage} with the tenant of the
 * authenticated key: so only a caller with the service token may ask for any tenant's.
 */
@Path("/internal/usage/report")
@InternalApi
@Tag(name = "Usage ledger (internal)")
public class UsageReportResource {
    private final UsageReportService reports;
    private final CsvTable csv;

    public UsageReportResource(UsageReportService reports, CsvTable csv) {
        this.reports = reports;
        this.csv = csv;
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, CsvTable.MEDIA_TYPE })
    @Operation(summary = "A tenant's requests, tokens and cost by UTC day and model, per model, in total, and the "
            + "projected month-end cost; from/to are inclusive ISO dates (default: this month so far)")
    @APIResponse(responseCode = "200", description = "The report (format=json) or its data rows (format=csv)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UsageReportResponse.class)))
    @APIResponse(responseCode = "400", description = "Bad tenant_id, date, range or format; OpenAI error format",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> report(@QueryParam("tenant_id") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        if (tenantId == null || tenantId.isBlank()) {
            throw ApiException.badRequest("missing_tenant", "tenant_id", "'tenant_id' is required.");
        }
        ReportFormat reportFormat = ReportFormat.parse(format);
        ReportRange range = ReportRange.parse(from, to, reports.today());
        return reports.tenantReport(tenantId, range)
                .map(report -> UsageReportResponse.from(tenantId, range, report))
                .map(response -> csv.jsonOrCsv(reportFormat, response,
                        "usage-" + range.from() + "-" + range.to() + ".csv", UsageReportResponse.CSV_COLUMNS,
                        response.data()));
    }
}
