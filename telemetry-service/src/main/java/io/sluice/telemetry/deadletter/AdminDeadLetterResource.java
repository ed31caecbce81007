package io.sluice.telemetry.deadletter;

import java.util.regex.Pattern;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.logging.Log;
import io.sluice.adminguard.AdminApi;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.smallrye.mutiny.Uni;

/** The usage entries the ledger could not store: list, replay once the cause is fixed, or delete. */
@Path("/admin/usage/dead-letters")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: usage dead letters")
@APIResponse(responseCode = "401", description = "Missing or wrong admin token")
public class AdminDeadLetterResource {
    /** A Redis Stream id; the bound keeps a parameter from being anything but two 64-bit numbers. */
    private static final Pattern STREAM_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
    private static final int DEFAULT_LIMIT = 20;

    private final DeadLetterStream deadLetters;
    private final DeadLetterReplay replay;
    private final DeadLetterConfig config;

    public AdminDeadLetterResource(DeadLetterStream deadLetters, DeadLetterReplay replay, DeadLetterConfig config) {
        this.deadLetters = deadLetters;
        this.replay = replay;
        this.config = config;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Replayed(String id, String object, String usageEntryId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Deleted(String id, String object, boolean deleted) {
    }

    @GET
    @Operation(summary = "Dead-lettered usage entries with their error and original fields, newest first by "
            + "default; page on with after=<last_id>")
    @APIResponse(responseCode = "200", description = "One page",
            content = @Content(schema = @Schema(implementation = DeadLetterListResponse.class)))
    @APIResponse(responseCode = "400", description = "Bad limit, order or after; OpenAI error format",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DeadLetterListResponse> list(@QueryParam("limit") String limit, @QueryParam("order") String order,
            @QueryParam("after") String after) {
        int pageSize = limit(limit);
        boolean newestFirst = newestFirst(order);
        String cursor = after == null ? null : streamId(after, "after");
        // One more than asked tells whether there is a next page.
        return deadLetters.page(newestFirst, cursor, null, pageSize + 1)
                .map(page -> DeadLetterListResponse.of(page, pageSize));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dead-lettered usage entry")
    @APIResponse(responseCode = "200", description = "The entry",
            content = @Content(schema = @Schema(implementation = DeadLetterResponse.class)))
    @APIResponse(responseCode = "404", description = "No such entry", content = @Content(
            schema = @Schema(implementation = ApiError.class)))
    public Uni<DeadLetterResponse> get(@PathParam("id") String id) {
        return existing(streamId(id, "id")).map(DeadLetterResponse::from);
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Put the entry's original fields back on the usage stream and remove it here; an entry "
            + "that is still bad is dead-lettered again under a new id")
    @APIResponse(responseCode = "200", description = "Requeued",
            content = @Content(schema = @Schema(implementation = Replayed.class)))
    @APIResponse(responseCode = "404", description = "No such entry", content = @Content(
            schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The entry has no fields to replay (delete it)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Replayed> replay(@PathParam("id") String id) {
        return existing(streamId(id, "id")).chain(letter -> {
            if (!letter.replayable()) {
                throw new ApiException(409, ApiError.invalidRequest("not_replayable", "id",
                        "The dead-lettered entry has no fields to replay; delete it."));
            }
            return deadLetters.requeue(letter);
        }).map(usageEntryId -> {
            // An operator's action on billing data: logged, by ids only (the fields may hold tenant data).
            Log.infof("Dead-lettered usage entry %s replayed as usage entry %s", id, usageEntryId);
            return new Replayed(id, DeadLetterResponse.OBJECT + ".replay", usageEntryId);
        });
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Replay every entry present now, oldest first; entries without fields are skipped")
    @APIResponse(responseCode = "200", description = "How many were requeued and skipped",
            content = @Content(schema = @Schema(implementation = DeadLetterReplay.Result.class)))
    public Uni<DeadLetterReplay.Result> replayAll() {
        return replay.replayAll();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete one dead-lettered entry for good")
    @APIResponse(responseCode = "200", description = "Deleted",
            content = @Content(schema = @Schema(implementation = Deleted.class)))
    @APIResponse(responseCode = "404", description = "No such entry", content = @Content(
            schema = @Schema(implementation = ApiError.class)))
    public Uni<Deleted> delete(@PathParam("id") String id) {
        return deadLetters.delete(streamId(id, "id")).map(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            Log.infof("Dead-lettered usage entry %s deleted by an operator", id);
            return new Deleted(id, DeadLetterResponse.OBJECT, true);
        });
    }

    private Uni<DeadLetter> existing(String id) {
        return deadLetters.find(id).onItem().ifNull().failWith(AdminDeadLetterResource::notFound);
    }

    private static ApiException notFound() {
        return ApiException.notFound("No dead-lettered usage entry with this id.");
    }

    private static String streamId(String value, String param) {
        if (value == null || !STREAM_ID.matcher(value).matches()) {
            throw ApiException.badRequest("invalid_id", param,
                    "'" + param + "' must be a dead-letter entry id such as 1712345678901-0.");
        }
        return value;
    }

    private int limit(String value) {
        if (value == null) {
            return Math.min(DEFAULT_LIMIT, config.maxPageSize());
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= config.maxPageSize()) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid_limit", "limit",
                "'limit' must be a whole number from 1 to " + config.maxPageSize() + ".");
    }

    private static boolean newestFirst(String order) {
        if (order == null || order.equals("newest")) {
            return true;
        }
        if (order.equals("oldest")) {
            return false;
        }
        throw ApiException.badRequest("invalid_order", "order", "'order' must be 'newest' or 'oldest'.");
    }
}
