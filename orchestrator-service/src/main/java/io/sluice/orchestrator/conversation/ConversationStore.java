package io.sluice.orchestrator.conversation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Conversation memory of the Responses and Conversations APIs: stored responses, conversations and their items, per
 * tenant. PostgreSQL is the truth ({@link ResponseRepository}, {@link ConversationRepository}); Redis is a
 * write-through hot cache ({@link HotCache}): reads try it first and re-warm it from PostgreSQL, writes complete
 * after both. Every lookup is by (tenant, id), so another tenant's id is simply not found.
 * <p>
 * Failures: PostgreSQL failing or slow fails the Uni with {@link MemoryUnavailableException}; Redis failing only
 * costs a PostgreSQL read. Expiry: {@code retentionDays} of the tenant's {@link MemoryPolicy} after the last write.
 */
@ApplicationScoped
public class ConversationStore {
    private final ResponseRepository responses;
    private final ConversationRepository conversations;
    private final HotCache hot;
    private final Clock clock;

    public ConversationStore(ResponseRepository responses, ConversationRepository conversations, HotCache hot,
            Clock clock) {
        this.responses = responses;
        this.conversations = conversations;
        this.hot = hot;
        this.clock = clock;
    }

    // ---- responses -------------------------------------------------------------------------------------------

    /** Redis first, then PostgreSQL (which re-warms Redis). */
    public Uni<Optional<StoredResponse>> findResponse(String tenant, String id) {
        return hot.response(tenant, id).chain(cached -> {
            if (!cached.isMiss()) {
                return Uni.createFrom().item(cached.value());
            }
            return responses.find(tenant, id, now()).call(found -> found.isPresent()
                    ? hot.warmResponse(found.get())
                    : Uni.createFrom().voidItem());
        });
    }

    /**
     * Stores the response (replacing one of the same id): its context cut to the policy's max items, its expiry
     * {@code retentionDays} from now. Completes when PostgreSQL committed and Redis was written.
     */
    public Uni<Void> saveResponse(StoredResponse r, MemoryPolicy policy) {
        Instant now = now();
        StoredResponse stored = new StoredResponse(r.tenant(), r.id(), r.response(), r.inputItems(),
                ItemLists.lastOf(r.context(), policy.maxItems()), r.conversationId(),
                r.createdAt() == null ? now : r.createdAt().truncatedTo(ChronoUnit.MILLIS), expiry(now, policy));
        return responses.upsert(stored).call(() -> hot.putResponse(stored));
    }

    public Uni<Boolean> deleteResponse(String tenant, String id) {
        return responses.delete(tenant, id).call(() -> hot.deleteResponse(tenant, id));
    }

    // ---- conversations ---------------------------------------------------------------------------------------

    /** Creates a conversation with its first items (ids assigned where missing; the newest max items kept). */
    public Uni<StoredConversation> createConversation(String tenant, JsonObject metadata, List<JsonObject> items,
            MemoryPolicy policy) {
        Instant now = now();
        StoredConversation conversation = new StoredConversation(tenant, MemoryIds.conversation(),
                metadata == null ? new JsonObject() : metadata, now, expiry(now, policy));
        List<MemoryItem> kept = ItemLists.lastOf(toMemoryItems(items), policy.maxItems());
        return conversations.create(conversation, kept)
                .call(added -> hot.putConversation(conversation))
                .call(added -> hot.rebuildItems(tenant, conversation.id(), kept.size(), added,
                        conversation.expiresAt()))
                .replaceWith(conversation);
    }

    public Uni<Optional<StoredConversation>> findConversation(String tenant, String id) {
        return hot.conversation(tenant, id).chain(cached -> {
            if (!cached.isMiss()) {
                return Uni.createFrom().item(cached.value());
            }
            return conversations.find(tenant, id, now()).call(found -> found.isPresent()
                    ? hot.warmConversation(found.get())
                    : Uni.createFrom().voidItem());
        });
    }

    /** Replaces the metadata; empty: no such conversation. */
    public Uni<Optional<StoredConversation>> updateMetadata(String tenant, String id, JsonObject metadata) {
        return conversations.updateMetadata(tenant, id, metadata == null ? new JsonObject() : metadata,
                        now())
                .call(updated -> updated.isPresent() ? hot.putConversation(updated.get()) : Uni.createFrom().voidItem());
    }

    /** Deletes the conversation and its items everywhere. */
    public Uni<Boolean> deleteConversation(String tenant, String id) {
        return conversations.delete(tenant, id).call(() -> hot.deleteConversation(tenant, id));
    }

    /**
     * Appends items (ids assigned where missing, tokens estimated), prunes the conversation to the policy's max
     * items and moves its expiry. Returns the items added: an item whose id the conversation already holds is not
     * added again. Empty: no such conversation.
     */
    public Uni<Optional<List<MemoryItem>>> appendItems(String tenant, String convId, List<JsonObject> items,
            MemoryPolicy policy) {
        Instant now = now();
        List<MemoryItem> fresh = toMemoryItems(items);
        return conversations.append(tenant, convId, fresh, policy.maxItems(), now, expiry(now, policy))
                .call(appended -> {
                    if (appended.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    ConversationRepository.Appended a = appended.get();
                    List<MemoryItem> kept = ItemLists.lastOf(a.added(), policy.maxItems());
                    return a.whole()
                            ? hot.rebuildItems(tenant, convId, a.after(), kept, a.expiresAt())
                            : hot.appendItems(tenant, convId, a.before(), a.after(), kept, policy.maxItems(),
                                    a.expiresAt());
                })
                .map(appended -> appended.map(ConversationRepository.Appended::added));
    }

    /** The kept items, oldest first: Redis, else PostgreSQL (which re-warms Redis). Empty: no such conversation. */
    public Uni<Optional<List<MemoryItem>>> history(String tenant, String convId) {
        return hot.items(tenant, convId).chain(cached -> {
            if (cached.isPresent()) {
                return Uni.createFrom().item(cached);
            }
            return conversations.history(tenant, convId, now()).call(found -> found.isPresent()
                            ? hot.rebuildItems(tenant, convId, found.get().seq(), found.get().items(),
                                    found.get().expiresAt())
                            : Uni.createFrom().voidItem())
                    .map(found -> found.map(ConversationRepository.History::items));
        });
    }

    /**
     * A page of items as OpenAI lists them: after the item {@code after} (none: from the start) in the given order,
     * at most {@code limit}. An unknown {@code after} gives an empty page. Empty: no such conversation.
     */
    public Uni<Optional<ItemPage>> listItems(String tenant, String convId, String after, int limit,
            boolean ascending) {
        return history(tenant, convId).map(found -> found.map(items -> page(items, after, limit, ascending)));
    }

    public Uni<Optional<MemoryItem>> findItem(String tenant, String convId, String itemId) {
        return history(tenant, convId).map(found -> found.flatMap(items -> items.stream()
                .filter(item -> item.id().equals(itemId)).findFirst()));
    }

    /** Deletes one item; true when it existed. Empty: no such conversation. */
    public Uni<Optional<Boolean>> deleteItem(String tenant, String convId, String itemId) {
        return conversations.deleteItem(tenant, convId, itemId, now())
                .call(deletion -> deletion.isPresent()
                        ? hot.invalidateItems(tenant, convId, deletion.get().seq(), deletion.get().expiresAt())
                        : Uni.createFrom().voidItem())
                .map(deletion -> deletion.map(ConversationRepository.ItemDeletion::deleted));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static ItemPage page(List<MemoryItem> items, String after, int limit, boolean ascending) {
        List<MemoryItem> ordered = items;
        if (!ascending) {
            ordered = new ArrayList<>(items);
            Collections.reverse(ordered);
        }
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i).id().equals(after)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                return new ItemPage(List.of(), false);
            }
        }
        int end = Math.min(ordered.size(), start + Math.max(0, limit));
        return new ItemPage(List.copyOf(ordered.subList(start, end)), end < ordered.size());
    }

    private static List<MemoryItem> toMemoryItems(List<JsonObject> items) {
        List<MemoryItem> converted = new ArrayList<>(items == null ? 0 : items.size());
        if (items != null) {
            for (JsonObject item : items) {
                converted.add(MemoryItem.of(item));
            }
        }
        return converted;
    }

    /** Milliseconds: what Redis' JSON keeps, so a value reads the same warm and cold. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant expiry(Instant now, MemoryPolicy policy) {
        return now.plus(Duration.ofDays(policy.retentionDays()));
    }
}
