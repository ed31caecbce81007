package io.sluice.telemetry.intake;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.telemetry.deadletter.DeadLetterResponse;
import io.sluice.telemetry.service.IntakeResult;
import io.sluice.telemetry.service.Rejection;

/**
 * What became of posted events, once committed: each is recorded, a duplicate of a recorded request, or rejected.
 *
 * @param rejections one per rejected event, by its index in the posted list
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IntakeResponse(int recorded, int duplicates, int rejected, List<RejectedEvent> rejections) {

    /**
     * @param deadLetterId where the event is kept for an operator, or null if the dead-letter stream could not take it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RejectedEvent(int index, DeadLetterResponse.Error error, String deadLetterId) {
    }

    /** @param deadLetterIds in the order of the result's rejections, or null when none was dead-lettered */
    static IntakeResponse of(IntakeResult result, List<String> deadLetterIds) {
        List<RejectedEvent> rejections = new ArrayList<>(result.rejections().size());
        for (int i = 0; i < result.rejections().size(); i++) {
            Rejection rejection = result.rejections().get(i);
            rejections.add(new RejectedEvent(rejection.index(), DeadLetterResponse.Error.of(rejection.error()),
                    deadLetterIds == null ? null : deadLetterIds.get(i)));
        }
        return new IntakeResponse(result.recorded(), result.duplicates(), rejections.size(), rejections);
    }
}
