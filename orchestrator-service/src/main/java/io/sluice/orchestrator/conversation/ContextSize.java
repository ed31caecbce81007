package io.sluice.orchestrator.conversation;

/** What a stored history adds to a request: its items and their estimated tokens (the gateway's reservation). */
public record ContextSize(int items, int tokens) {
}
