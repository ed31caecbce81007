package io.sluice.gateway.relay;

import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.UsageEvent;
import io.vertx.core.buffer.Buffer;

/**
 * How a forwarded request ended, as far as billing, metrics and the ledger need to know.
 *
 * @param tokens what the orchestrator reported, or for a stream what was delivered (completion tokens from the
 *        content deltas until the usage chunk)
 * @param promptReported whether {@code tokens.prompt()} was reported; when not, the gateway's estimate stands in
 * @param billable whether the call may have cost tokens upstream that nobody reported: forwarded, and not ended by
 *        an error answer of the orchestrator (answered 200, or cut while it ran)
 * @param firstEventAtNanos {@link System#nanoTime()} when the first stream event reached the client; 0 if none
 * @param answer the OpenAI-format answer as the orchestrator sent it (whole, or a stream's events), when the request
 *        asked to keep it ({@link ForwardedRequest#keepAnswerBytes()}) and it ended 200 within that size; else null
 * @param stored what a Responses API request stored, from the answer's headers
 */
public record RelayResult(int status, UsageEvent.Outcome outcome, TokenUsage tokens, boolean promptReported,
        Served served, long firstEventAtNanos, boolean billable, Buffer answer, Stored stored) {
    public static final int CLIENT_CLOSED_REQUEST = 499;

    public RelayResult(int status, UsageEvent.Outcome outcome, TokenUsage tokens, boolean promptReported,
            Served served, long firstEventAtNanos, boolean billable, Buffer answer) {
        this(status, outcome, tokens, promptReported, served, firstEventAtNanos, billable, answer, Stored.NONE);
    }

    public RelayResult(int status, UsageEvent.Outcome outcome, TokenUsage tokens, boolean promptReported,
            Served served, long firstEventAtNanos, boolean billable) {
        this(status, outcome, tokens, promptReported, served, firstEventAtNanos, billable, null);
    }

    /** This result with what the request stored. */
    public RelayResult withStored(Stored ids) {
        return new RelayResult(status, outcome, tokens, promptReported, served, firstEventAtNanos, billable, answer,
                ids);
    }

    /**
     * The response a Responses API request created and the conversation it extended, as the orchestrator named them
     * ({@link io.sluice.contracts.RelayHeaders#RESPONSE_ID}, {@link io.sluice.contracts.RelayHeaders#CONVERSATION_ID});
     * a field is null when not named or not a valid id.
     */
    public record Stored(String responseId, String conversationId) {
        public static final Stored NONE = new Stored(null, null);
    }

    /**
     * Who served the request, from the orchestrator's answer headers; a field is null when not known.
     *
     * @param model the catalogue alias that served (a fallback, or the requested one); checked by
     *        {@link io.sluice.contracts.ModelName}
     */
    public record Served(String provider, String deployment, String model) {
        public static final Served NONE = new Served(null, null, null);
    }

    /** Failed without a call upstream (the orchestrator unreachable or busy), or by the gateway itself. */
    public static RelayResult failed(int status) {
        return new RelayResult(status, UsageEvent.Outcome.ERROR, TokenUsage.NONE, false, Served.NONE, 0, false);
    }

    /**
     * The client closed its connection before the answer reached it: recorded as 499, as nginx and Envoy log it,
     * so a client that gives up is not counted as a server error. Once the request was {@code forwarded}, it is
     * billed (at least the prompt): the model may have run.
     */
    public static RelayResult clientClosed(boolean forwarded) {
        return new RelayResult(CLIENT_CLOSED_REQUEST, UsageEvent.Outcome.INCOMPLETE, TokenUsage.NONE, false,
                Served.NONE, 0, forwarded);
    }

    public static RelayResult rejected(int status) {
        return new RelayResult(status, UsageEvent.Outcome.REJECTED, TokenUsage.NONE, false, Served.NONE, 0, false);
    }
}
