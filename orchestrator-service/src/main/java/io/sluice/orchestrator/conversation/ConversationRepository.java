package io.sluice.orchestrator.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Conversations and their items in PostgreSQL ({@code memory.conversations}, {@code memory.conversation_items}),
 * always looked up by (tenant, id). An item's seq orders it; an append takes its seqs from the conversation row's
 * {@code next_seq}, whose update locks the row, so concurrent appends queue instead of colliding.
 */
@ApplicationScoped
public class ConversationRepository {
    private static final String CREATE = """
            INSERT INTO memory.conversations (tenant, id, metadata, next_seq, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """;
    private static final String FIND = """
            SELECT tenant, id, metadata, created_at, expires_at FROM memory.conversations
            WHERE tenant = $1 AND id = $2 AND expires_at > $3
            """;
    private static final String UPDATE_METADATA = """
            UPDATE memory.conversations SET metadata = $3 WHERE tenant = $1 AND id = $2 AND expires_at > $4
            RETURNING tenant, id, metadata, created_at, expires_at
            """;
    private static final String DELETE = "DELETE FROM memory.conversations WHERE tenant = $1 AND id = $2";
    // Items arrive as one JSON array of {"id","tokens","item"}; an id the conversation already holds is skipped.
    private static final String INSERT_ITEMS = """
            INSERT INTO memory.conversation_items (tenant, conversation_id, seq, id, item, tokens, created_at)
            SELECT $1, $2, $3 + batch.ord, batch.entry->>'id', batch.entry->'item', (batch.entry->>'tokens')::int, $5
            FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS batch(entry, ord)
            ON CONFLICT (tenant, conversation_id, id) DO NOTHING
            RETURNING seq, id
            """;
    // Seqs, insert, prune and count in one call (V2__append_items_in_one_call.sql): one round trip per append
    private static final String APPEND = """
            SELECT before_seq, after_seq, added, whole FROM memory.append_items($1, $2, $3::jsonb, $4, $5, $6)
            """;
    // One statement, so the seq and the items come from one snapshot
    private static final String HISTORY = """
            SELECT c.next_seq, c.expires_at, i.id, i.item, i.tokens
            FROM memory.conversations c
            LEFT JOIN memory.conversation_items i ON i.tenant = c.tenant AND i.conversation_id = c.id
            WHERE c.tenant = $1 AND c.id = $2 AND c.expires_at > $3
            ORDER BY i.seq
            """;
    // Bumps next_seq too: the hot list's mark then refuses a rebuild from a read that still saw the item
    private static final String DELETE_ITEM = """
            WITH conv AS (
                UPDATE memory.conversations SET next_seq = next_seq + 1
                WHERE tenant = $1 AND id = $2 AND expires_at > $4
                RETURNING next_seq, expires_at),
            gone AS (
                DELETE FROM memory.conversation_items
                WHERE tenant = $1 AND conversation_id = $2 AND id = $3 AND EXISTS (SELECT 1 FROM conv)
                RETURNING 1)
            SELECT conv.next_seq, conv.expires_at, (SELECT count(*) FROM gone) FROM conv
            """;
    private static final String DELETE_EXPIRED = """
            DELETE FROM memory.conversations WHERE (tenant, id) IN (
                SELECT tenant, id FROM memory.conversations WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING tenant, id
            """;

    private final MemoryDatabase db;

    public ConversationRepository(MemoryDatabase db) {
        this.db = db;
    }

    /** A conversation's kept items as one snapshot read, with the seq they are complete up to. */
    public record History(long seq, Instant expiresAt, List<MemoryItem> items) {
    }

    /** What an append committed: the items added (ids already present were skipped), the seqs around them. */
    public record Appended(List<MemoryItem> added, long before, long after, Instant expiresAt, boolean whole) {
    }

    /** A deleted item (or not), and the seq the conversation moved to. */
    public record ItemDeletion(boolean deleted, long seq, Instant expiresAt) {
    }

    /** Creates the conversation with its first items (already cut to the max kept); returns the items kept. */
    public Uni<List<MemoryItem>> create(StoredConversation c, List<MemoryItem> items) {
        return db.inTransaction(tx -> tx.preparedQuery(CREATE)
                .execute(Tuple.of(c.tenant(), c.id(), c.metadata(), (long) items.size(),
                        Timestamps.utc(c.createdAt()), Timestamps.utc(c.expiresAt())))
                .chain(() -> insertItems(tx, c.tenant(), c.id(), 0, items, c.createdAt())));
    }

    public Uni<Optional<StoredConversation>> find(String tenant, String id, Instant now) {
        return db.call(client -> client.preparedQuery(FIND).execute(Tuple.of(tenant, id, Timestamps.utc(now))))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Optional<StoredConversation>> updateMetadata(String tenant, String id, JsonObject metadata,
            Instant now) {
        return db.call(client -> client.preparedQuery(UPDATE_METADATA)
                        .execute(Tuple.of(tenant, id, metadata, Timestamps.utc(now))))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Deletes the conversation and (by cascade) its items. */
    public Uni<Boolean> delete(String tenant, String id) {
        return db.call(client -> client.preparedQuery(DELETE).execute(Tuple.of(tenant, id)))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Appends the items, prunes to the newest {@code maxItems} and moves the expiry to {@code expiresAt}, in one
     * transaction. Empty: no such conversation (or expired).
     */
    public Uni<Optional<Appended>> append(String tenant, String id, List<MemoryItem> items, int maxItems,
            Instant now, Instant expiresAt) {
        return db.call(client -> client.preparedQuery(APPEND).execute(Tuple.of(tenant, id, ItemLists.toJson(items),
                        maxItems, Timestamps.utc(now), Timestamps.utc(expiresAt))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Appended(inInputOrder(items, row.getArrayOfStrings("added")),
                            row.getLong("before_seq"), row.getLong("after_seq"), expiresAt, row.getBoolean("whole")));
                });
    }

    public Uni<Optional<History>> history(String tenant, String id, Instant now) {
        return db.call(client -> client.preparedQuery(HISTORY).execute(Tuple.of(tenant, id, Timestamps.utc(now))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    long seq = 0;
                    Instant expiresAt = null;
                    List<MemoryItem> items = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        seq = row.getLong("next_seq");
                        expiresAt = row.getOffsetDateTime("expires_at").toInstant();
                        String itemId = row.getString("id");
                        if (itemId != null) {
                            items.add(new MemoryItem(itemId, row.getJsonObject("item"), row.getInteger("tokens")));
                        }
                    }
                    return Optional.of(new History(seq, expiresAt, items));
                });
    }

    /** Empty: no such conversation. */
    public Uni<Optional<ItemDeletion>> deleteItem(String tenant, String id, String itemId, Instant now) {
        return db.call(client -> client.preparedQuery(DELETE_ITEM)
                        .execute(Tuple.of(tenant, id, itemId, Timestamps.utc(now))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new ItemDeletion(row.getLong(2) > 0, row.getLong(0),
                            row.getOffsetDateTime(1).toInstant()));
                });
    }

    /** Deletes at most {@code limit} expired conversations (with their items); returns which. */
    public Uni<List<TenantScopedId>> deleteExpired(Instant now, int limit) {
        return db.call(client -> client.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(Timestamps.utc(now), limit)))
                .map(ResponseRepository::ids);
    }

    /** Inserts items at seqs after {@code before}, in order; returns those inserted (not already present). */
    private static Uni<List<MemoryItem>> insertItems(SqlClient tx, String tenant, String id, long before,
            List<MemoryItem> items, Instant now) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery(INSERT_ITEMS)
                .execute(Tuple.of(tenant, id, before, ItemLists.toJson(items), Timestamps.utc(now)))
                .map(rows -> {
                    List<String> inserted = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        inserted.add(row.getString("id"));
                    }
                    return inInputOrder(items, inserted.toArray(String[]::new));
                });
    }

    /** The items whose ids were inserted, in input order (RETURNING and array_agg promise no order). */
    private static List<MemoryItem> inInputOrder(List<MemoryItem> items, String[] insertedIds) {
        Set<String> inserted = new HashSet<>(Arrays.asList(insertedIds));
        List<MemoryItem> added = new ArrayList<>(inserted.size());
        for (MemoryItem item : items) {
            if (inserted.remove(item.id())) {
                added.add(item);
            }
        }
        return added;
    }

    private static StoredConversation read(Row row) {
        return new StoredConversation(row.getString("tenant"), row.getString("id"), row.getJsonObject("metadata"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("expires_at").toInstant());
    }
}
