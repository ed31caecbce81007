package io.sluice.orchestrator.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Stored responses in PostgreSQL ({@code memory.responses}), always looked up by (tenant, id). */
@ApplicationScoped
public class ResponseRepository {
    private static final String UPSERT = """
            INSERT INTO memory.responses (tenant, id, response, input_items, context, context_tokens,
                conversation_id, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (tenant, id) DO UPDATE SET response = EXCLUDED.response,
                input_items = EXCLUDED.input_items, context = EXCLUDED.context,
                context_tokens = EXCLUDED.context_tokens, conversation_id = EXCLUDED.conversation_id,
                expires_at = EXCLUDED.expires_at
            """;
    private static final String FIND = """
            SELECT tenant, id, response, input_items, context, conversation_id, created_at, expires_at
            FROM memory.responses WHERE tenant = $1 AND id = $2 AND expires_at > $3
            """;
    private static final String DELETE = "DELETE FROM memory.responses WHERE tenant = $1 AND id = $2";
    // SKIP LOCKED: replicas running the job at once take different rows instead of waiting on each other
    private static final String DELETE_EXPIRED = """
            DELETE FROM memory.responses WHERE (tenant, id) IN (
                SELECT tenant, id FROM memory.responses WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING tenant, id
            """;

    private final MemoryDatabase db;

    public ResponseRepository(MemoryDatabase db) {
        this.db = db;
    }

    /** Inserts the response, or replaces the stored one of the same id (a background response finishing). */
    public Uni<Void> upsert(StoredResponse r) {
        Tuple row = Tuple.tuple().addString(r.tenant()).addString(r.id()).addJsonObject(r.response())
                .addJsonArray(ItemLists.toJson(r.inputItems())).addJsonArray(ItemLists.toJson(r.context()))
                .addInteger(r.contextTokens()).addString(r.conversationId())
                .addOffsetDateTime(Timestamps.utc(r.createdAt())).addOffsetDateTime(Timestamps.utc(r.expiresAt()));
        return db.call(client -> client.preparedQuery(UPSERT).execute(row)).replaceWithVoid();
    }

    /** The response unless it does not exist, belongs to another tenant or has expired. */
    public Uni<Optional<StoredResponse>> find(String tenant, String id, Instant now) {
        return db.call(client -> client.preparedQuery(FIND).execute(Tuple.of(tenant, id, Timestamps.utc(now))))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    public Uni<Boolean> delete(String tenant, String id) {
        return db.call(client -> client.preparedQuery(DELETE).execute(Tuple.of(tenant, id)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Deletes at most {@code limit} expired responses; returns which. */
    public Uni<List<TenantScopedId>> deleteExpired(Instant now, int limit) {
        return db.call(client -> client.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(Timestamps.utc(now), limit)))
                .map(ResponseRepository::ids);
    }

    static List<TenantScopedId> ids(RowSet<Row> rows) {
        List<TenantScopedId> ids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ids.add(new TenantScopedId(row.getString(0), row.getString(1)));
        }
        return ids;
    }

    private static StoredResponse read(Row row) {
        return new StoredResponse(row.getString("tenant"), row.getString("id"), row.getJsonObject("response"),
                ItemLists.fromJson(row.getJsonArray("input_items")), ItemLists.fromJson(row.getJsonArray("context")),
                row.getString("conversation_id"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("expires_at").toInstant());
    }
}
