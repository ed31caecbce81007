package io.sluice.telemetry.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.guard.service.InternalApi;
import io.sluice.telemetry.deadletter.DeadLetterStream;
import io.sluice.telemetry.repository.DataErrors;
import io.sluice.telemetry.service.LedgerIntake;
import io.sluice.telemetry.service.UsageEntry;
import io.smallrye.mutiny.Uni;

/**
 * The fallback sink of the gateways' usage outage buffer: a gateway stopping while Redis is unreachable posts the
 * events it still holds here, and they take the ledger's own path (priced, idempotent on the request id, row by row
 * after a data error). Cluster-internal, like every /internal path: only calls with the service token.
 */
@InternalApi
@Path("/internal/usage/events")
@Tag(name = "Usage ledger (internal)")
public class UsageEventsResource {
    private final LedgerIntake intake;
    private final DeadLetterStream deadLetters;
    private final IntakeConfig config;

    public UsageEventsResource(LedgerIntake intake, DeadLetterStream deadLetters, IntakeConfig config) {
        this.intake = intake;
        this.deadLetters = deadLetters;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record usage events ({\"events\":[<UsageEvent stream fields>, …]}); answers after the "
            + "commit. A bad event is rejected (and dead-lettered) without stopping the others; posting the same "
            + "events again is safe")
    @APIResponse(responseCode = "200", description = "Committed: recorded, duplicates and rejected events",
            content = @Content(schema = @Schema(implementation = IntakeResponse.class)))
    @APIResponse(responseCode = "400", description = "No 'events' array, or more events than allowed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "The ledger (PostgreSQL) cannot be written now; some events "
            + "may be recorded, none is confirmed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<IntakeResponse> record(JsonNode body) {
        JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray()) {
            throw ApiException.badRequest("invalid_events", "events", "'events' must be an array of usage events.");
        }
        if (events.size() > config.maxEvents()) {
            throw ApiException.badRequest("too_many_events", "events",
                    "At most " + config.maxEvents() + " events per call.");
        }
        List<UsageEntry> entries = new ArrayList<>(events.size());
        events.forEach(event -> entries.add(new UsageEntry(null, fields(event))));
        return intake.record(entries)
                .onFailure().transform(failure -> {
                    Log.warnf("Cannot record %d posted usage events: %s", entries.size(),
                            DataErrors.describe(failure));
                    return new ApiException(503, ApiError.of("server_error", "ledger_unavailable",
                            "The usage ledger cannot be written now; retry later (posting the same events again is "
                                    + "safe)."));
                })
                .chain(result -> deadLetters.addFromHttp(result.rejections())
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf("Cannot dead-letter %d rejected usage events (they are lost): %s",
                                    result.rejections().size(), failure.toString());
                            return null;
                        })
                        .map(deadLetterIds -> IntakeResponse.of(result, deadLetterIds)));
    }

    /**
     * The event's fields as the stream would carry them. Scalars become their text; a nested value stays JSON text
     * (and fails parsing later, so the event is kept as posted); anything but an object has no fields.
     */
    private static Map<String, String> fields(JsonNode event) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (event.isObject()) {
            event.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (!value.isNull()) {
                    fields.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
                }
            });
        }
        return fields;
    }
}
