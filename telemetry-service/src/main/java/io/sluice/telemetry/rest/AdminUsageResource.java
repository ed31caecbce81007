package io.sluice.telemetry.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import io.sluice.adminguard.AdminApi;
import io.sluice.contracts.ApiError;
import io.sluice.telemetry.service.ReportRange;
import io.sluice.telemetry.service.UsageReportService;
import io.sluice.telemetry.service.UsageRollupService;
import io.smallrye.mutiny.Uni;

/** Usage and cost across tenants, the per-component summary and the rollup, behind the admin token. */
@Path("/admin/usage")
@AdminApi
@Tag(name = "Admin: usage and cost")
public class AdminUsageResource {
    private final UsageReportService reports;
    private final UsageRollupService rollups;
    private final CsvTable csv;

    public AdminUsageResource(UsageReportService reports, UsageRollupService rollups, CsvTable csv) {
        this.reports = reports;
        this.rollups = rollups;
        this.csv = csv;
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, CsvTable.MEDIA_TYPE })
    @Operation(summary = "Requests, tokens and cost across tenants by tenant, model or UTC day, the total and the "
            + "projected month-end cost; from/to are inclusive ISO dates (default: this month so far)")
    @APIResponse(responseCode = "200", description = "The report (format=json) or its rows (format=csv)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AdminUsageResponse.class)))
    @APIResponse(responseCode = "400", description = "Bad date, range, group_by or format",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token")
    public Uni<Response> usage(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("group_by") String groupBy, @QueryParam("format") String format) {
        GroupBy grouping = GroupBy.parse(groupBy);
        ReportFormat reportFormat = ReportFormat.parse(format);
        ReportRange range = ReportRange.parse(from, to, reports.today());
        return reports.acrossTenants(grouping.key(), range)
                .map(report -> AdminUsageResponse.from(range, grouping, report))
                .map(response -> csv.jsonOrCsv(reportFormat, response, "usage-by-" + grouping.wire() + "-"
                        + range.from() + "-" + range.to() + ".csv", grouping.csvColumns(), response.data()));
    }

    @GET
    @Path("/components")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Calls, successes, failures, latency (avg, min, max, p95) and errors by HTTP status and "
            + "outcome per provider and deployment and overall, from the raw rows (last raw-days days)")
    @APIResponse(responseCode = "200", description = "The summary",
            content = @Content(schema = @Schema(implementation = ComponentUsageResponse.class)))
    @APIResponse(responseCode = "400", description = "Bad date or range",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ComponentUsageResponse> components(@QueryParam("from") String from, @QueryParam("to") String to) {
        ReportRange range = ReportRange.parse(from, to, reports.today());
        return reports.components(range).map(report -> ComponentUsageResponse.from(range, report));
    }

    @POST
    @Path("/rollups")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Roll up complete days and prune old raw rows now (the job also runs on its interval)")
    public Uni<UsageRollupService.Result> rollUpNow() {
        return rollups.run();
    }
}
