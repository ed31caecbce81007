package io.sluice.orchestrator.conversation;

import io.sluice.contracts.ApiError;

/** The errors of conversation memory, in OpenAI's format. */
public final class MemoryErrors {
    /** PostgreSQL cannot be reached: what must be read or stored cannot be (a 503 with Retry-After). */
    public static final ApiError UNAVAILABLE = ApiError.of("server_error", "memory_unavailable",
            "Stored responses and conversations are unavailable right now; retry later, or send the request with "
                    + "\"store\": false and no previous_response_id or conversation.");

    /** When to come back after {@link #UNAVAILABLE}. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private MemoryErrors() {
    }
}
