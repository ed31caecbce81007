package io.sluice.telemetry.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.guard.service.InternalApi;
import io.sluice.telemetry.service.UsageLedgerService;
import io.smallrye.mutiny.Uni;

/** Internal look-up of single ledger records, for the Sluice services (service token) and operators' tooling. */
@Path("/internal/usage")
@InternalApi
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage ledger (internal)")
public class UsageRecordResource {
    private final UsageLedgerService ledger;

    public UsageRecordResource(UsageLedgerService ledger) {
        this.ledger = ledger;
    }

    @GET
    @Path("/{requestId}")
    @Operation(summary = "The ledger record of one request")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(schema = @Schema(implementation = UsageRecordResponse.class)))
    @APIResponse(responseCode = "404", description = "No record for this request id (yet), OpenAI error format",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<UsageRecordResponse> byRequestId(@PathParam("requestId") String requestId) {
        return ledger.find(requestId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("No usage record for request " + requestId))
                .map(UsageRecordResponse::from);
    }
}
