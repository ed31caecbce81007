package io.sluice.orchestrator.responses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.memory.HistoryReference;
import io.sluice.orchestrator.conversation.ConversationStore;
import io.sluice.orchestrator.conversation.MemoryItem;

/**
 * The stored history a Responses request continues, read once per request. The gateway asks its size first
 * ({@code GET /internal/memory/context}, for the token reservation) and then sends the turn with the same request
 * id: the items read for the size are held here for that turn, which takes them instead of reading and parsing
 * them again, and so sends exactly what was reserved for. A turn whose sizing ran on another replica (or longer than
 * {@link #HOLD} ago) reads the store itself.
 * <p>
 * Bounded: at most {@link #MAX_HELD} histories, each kept at most {@link #HOLD}; when full, nothing more is held.
 * Entries are keyed by tenant, request id and the history's id, so a turn can only take what its own tenant's sizing
 * read for the same history.
 */
@ApplicationScoped
public class HistoryRecall {
    static final int MAX_HELD = 256;
    static final Duration HOLD = Duration.ofSeconds(2);

    private final ConversationStore store;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public HistoryRecall(ConversationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private record Held(List<MemoryItem> items, Instant until) {
    }

    /** For the gateway's sizing: the history, held for the turn of the same request. Fails 404 when not found. */
    public Uni<List<MemoryItem>> forSizing(String tenant, String requestId, HistoryReference reference) {
        return read(tenant, reference).invoke(items -> hold(key(tenant, requestId, reference), items));
    }

    /** For the turn: what its sizing read, else the store's. Fails 404 when not found. */
    public Uni<List<MemoryItem>> forTurn(String tenant, String requestId, HistoryReference reference) {
        String key = key(tenant, requestId, reference);
        Held sized = key == null ? null : held.remove(key);
        if (sized != null && sized.until().isAfter(clock.instant())) {
            return Uni.createFrom().item(sized.items());
        }
        return read(tenant, reference);
    }

    private Uni<List<MemoryItem>> read(String tenant, HistoryReference reference) {
        if (reference.isResponse()) {
            return store.findResponse(tenant, reference.id())
                    .map(found -> found.orElseThrow(reference::notFound).context());
        }
        return store.history(tenant, reference.id()).map(found -> found.orElseThrow(reference::notFound));
    }

    private void hold(String key, List<MemoryItem> items) {
        if (key == null) {
            return;
        }
        Instant now = clock.instant();
        if (held.size() >= MAX_HELD) {
            held.values().removeIf(entry -> !entry.until().isAfter(now));
            if (held.size() >= MAX_HELD) {
                return;
            }
        }
        held.put(key, new Held(items, now.plus(HOLD)));
    }

    /** Null without a request id: nothing to hand over. */
    private static String key(String tenant, String requestId, HistoryReference reference) {
        if (requestId == null || requestId.isEmpty()) {
            return null;
        }
        return tenant + '\n' + requestId + '\n' + reference.param() + '\n' + reference.id();
    }

    /** Histories held now (tests). */
    int heldCount() {
        return held.size();
    }
}
