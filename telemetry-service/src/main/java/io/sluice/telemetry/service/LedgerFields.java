package io.sluice.telemetry.service;

import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.contracts.UsageEvent;

/**
 * The usage-event fields the ledger stores as given and so checks itself: the endpoint (one of a fixed set) and the
 * ids of the stored response and conversation (the orchestrator's format). The gateway validates what clients send;
 * this keeps a stray or hostile stream entry from putting anything else into a column reports and exports show.
 * Each is optional: an event from a producer older than the field has none.
 */
final class LedgerFields {
    /** The public APIs a usage event may name. */
    static final Set<String> ENDPOINTS = Set.of("chat", "embeddings", "messages", "responses");
    private static final Pattern RESPONSE_ID = Pattern.compile("resp_[A-Za-z0-9]{1,64}");
    private static final Pattern CONVERSATION_ID = Pattern.compile("conv_[A-Za-z0-9]{1,64}");

    private LedgerFields() {
    }

    /**
     * The event, if its checked fields are absent or well-formed.
     *
     * @throws IllegalArgumentException naming the field, never its value (the message may reach a log)
     */
    static UsageEvent checked(UsageEvent event) {
        if (event.endpoint() != null && !ENDPOINTS.contains(event.endpoint())) {
            throw new IllegalArgumentException("usage event with an unknown endpoint");
        }
        if (event.responseId() != null && !RESPONSE_ID.matcher(event.responseId()).matches()) {
            throw new IllegalArgumentException("usage event with a malformed response_id");
        }
        if (event.conversationId() != null && !CONVERSATION_ID.matcher(event.conversationId()).matches()) {
            throw new IllegalArgumentException("usage event with a malformed conversation_id");
        }
        return event;
    }
}
