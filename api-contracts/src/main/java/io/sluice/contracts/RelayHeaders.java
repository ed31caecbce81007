package io.sluice.contracts;

/**
 * Headers orchestrator-service puts on an answer for the gateway, which reads them for billing and metrics and
 * never relays them to the client.
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

    private RelayHeaders() {
    }
}
