package io.sluice.orchestrator.conversation;

/** PostgreSQL failed or did not answer in time: the request that needs stored memory gets 503 memory_unavailable. */
public class MemoryUnavailableException extends RuntimeException {

    public MemoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
