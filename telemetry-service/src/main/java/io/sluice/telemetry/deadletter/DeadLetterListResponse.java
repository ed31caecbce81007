package io.sluice.telemetry.deadletter;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One page of dead-lettered entries, in OpenAI's list shape: pass {@code last_id} as {@code after} for the next. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetterListResponse(String object, List<DeadLetterResponse> data, String firstId, String lastId,
        boolean hasMore) {

    static DeadLetterListResponse of(List<DeadLetter> page, int limit) {
        List<DeadLetterResponse> data = page.stream().limit(limit).map(DeadLetterResponse::from).toList();
        return new DeadLetterListResponse("list", data, data.isEmpty() ? null : data.get(0).id(),
                data.isEmpty() ? null : data.get(data.size() - 1).id(), page.size() > limit);
    }
}
