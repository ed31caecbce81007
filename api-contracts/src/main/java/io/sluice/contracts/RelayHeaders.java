package io.sluice.contracts;

/**
 * What the gateway and orchestrator-service tell each other beside the OpenAI body: headers the gateway puts on a
 * forwarded request, headers the orchestrator puts on an answer (read for billing and metrics, never relayed to the
 * client), and the one SSE comment the orchestrator may add to a stream for the gateway.
 */
public final class RelayHeaders {
    /** The provider that answered (its label, as in metrics). */
    public static final String PROVIDER = "x-sluice-provider";
    /** The catalog deployment that answered. */
    public static final String DEPLOYMENT = "x-sluice-deployment";
    /**
     * The token usage of a complete (non-streamed) answer as {@code prompt,completion,cached}, so the gateway need
     * not parse a body it relays unchanged. Streams carry usage in their final chunk instead.
     */
    public static final String USAGE = "x-sluice-usage";
    /**
     * The catalogue alias whose deployment answered: the requested one, or a fallback alias. The gateway prices and
     * records the request under it.
     */
    public static final String MODEL = "x-sluice-model";

    /**
     * On a forwarded request: the aliases the calling key may use, comma-separated; absent when the key may use
     * every alias. The orchestrator never falls back to an alias outside it.
     */
    public static final String ALLOWED_MODELS = "x-sluice-allowed-models";
    /**
     * On a forwarded chat request: the completion tokens per choice the gateway reserved for a request that set no
     * {@code max_tokens} / {@code max_completion_tokens}. The orchestrator caps the upstream call at it, so an answer
     * can never cost more than was reserved.
     */
    public static final String MAX_OUTPUT_TOKENS = "x-sluice-max-output-tokens";

    /**
     * On a forwarded memory request (Responses and Conversations APIs): the calling key's tenant. Every stored
     * response, conversation and item is scoped to it; another tenant's id is not found.
     */
    public static final String TENANT = "x-sluice-tenant";
    /** On a forwarded memory request: the tenant's {@link KeyGrant.MemoryPolicy} as {@code maxItems,retentionDays}. */
    public static final String MEMORY_POLICY = "x-sluice-memory-policy";
    /** On a Responses API answer: the id of the response it created ({@code resp_…}), for the usage event. */
    public static final String RESPONSE_ID = "x-sluice-response-id";
    /** On a Responses API answer: the conversation it extended ({@code conv_…}), for the usage event. */
    public static final String CONVERSATION_ID = "x-sluice-conversation-id";

    /**
     * Starts an SSE comment line the orchestrator writes into a stream as soon as it knows the prompt's tokens (for
     * example from Anthropic's {@code message_start}), before the final usage chunk: {@code ": sluice-usage
     * prompt,completion,cached"} (the {@link #USAGE} value) followed by a blank line. The gateway bills a stream cut
     * before its usage chunk from it and does not relay it; SSE clients ignore comments anyway.
     */
    public static final String STREAM_USAGE_COMMENT = ": sluice-usage ";

    private RelayHeaders() {
    }
}
