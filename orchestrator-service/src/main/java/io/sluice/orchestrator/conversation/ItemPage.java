package io.sluice.orchestrator.conversation;

import java.util.List;

/** One page of a conversation's items; {@code hasMore}: items follow in the page's order. */
public record ItemPage(List<MemoryItem> items, boolean hasMore) {
}
