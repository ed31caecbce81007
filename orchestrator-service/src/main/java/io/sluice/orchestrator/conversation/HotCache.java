package io.sluice.orchestrator.conversation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.contracts.memory.MemoryKeys;
import io.sluice.redis.RedisScript;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;

/**
 * Redis as the write-through hot cache of conversation memory; PostgreSQL stays the truth. Keys: {@link MemoryKeys}
 * (one hash tag per tenant, so a tenant's keys share a cluster slot and one script may touch several); the token
 * counts beside a response and a conversation's items are what the gateway reads to size a turn's reservation.
 * Every key lives min(hot-ttl, time to the row's expiry). A deletion leaves a short tombstone (the value
 * {@value #TOMBSTONE} in the response/conversation key, the highest mark in the seq key) for db-timeout +
 * redis-timeout, so that a read of PostgreSQL that started before the deletion cannot re-warm what was deleted.
 * <p>
 * Nothing here fails: a Redis error is a miss on read and a best-effort DEL on write (the next read rebuilds from
 * PostgreSQL). The first failure is logged at WARN, the recovery at INFO, the rest at DEBUG.
 */
@ApplicationScoped
public class HotCache {
    static final String TOMBSTONE = "-";
    /** Beyond any seq (exact in Lua's doubles): a rebuild never passes it. */
    private static final String DELETED_MARK = "9007199254740991";

    private final ReactiveRedisDataSource redis;
    private final MemoryConfig config;
    private final Clock clock;
    private final RedisScript append = RedisScript.load(HotCache.class, "/redis/memory-append.lua");
    private final RedisScript rebuild = RedisScript.load(HotCache.class, "/redis/memory-rebuild.lua");
    private final RedisScript putResponse = RedisScript.load(HotCache.class, "/redis/memory-put-response.lua");
    private final AtomicBoolean failing = new AtomicBoolean();

    public HotCache(ReactiveRedisDataSource redis, MemoryConfig config, Clock clock) {
        this.redis = redis;
        this.config = config;
        this.clock = clock;
    }

    static String responseKey(String tenant, String id) {
        return MemoryKeys.response(tenant, id);
    }

    static String itemsKey(String tenant, String id) {
        return MemoryKeys.items(tenant, id);
    }

    // ---- responses -------------------------------------------------------------------------------------------

    /** Empty: not cached, deleted, or Redis failed (the caller reads PostgreSQL, unless deleted). */
    public Uni<Lookup<StoredResponse>> response(String tenant, String id) {
        return get(responseKey(tenant, id))
                .map(value -> Lookup.of(value, v -> StoredResponse.fromJson(new JsonObject(v))))
                .onFailure().recoverWithItem(Lookup.none());
    }

    /** After a write: the response replaces whatever the key held. */
    public Uni<Void> putResponse(StoredResponse r) {
        return writeResponse(r, false);
    }

    /** After a PostgreSQL read: only into an empty key, never over a tombstone or a newer write. */
    public Uni<Void> warmResponse(StoredResponse r) {
        return writeResponse(r, true);
    }

    public Uni<Void> deleteResponse(String tenant, String id) {
        return command("DEL", MemoryKeys.responseTokens(tenant, id))
                .chain(() -> command("SET", responseKey(tenant, id), TOMBSTONE, "PX",
                        Long.toString(tombstoneMillis())));
    }

    private Uni<Void> writeResponse(StoredResponse r, boolean onlyIfAbsent) {
        String key = responseKey(r.tenant(), r.id());
        String tokensKey = MemoryKeys.responseTokens(r.tenant(), r.id());
        long ttl = ttlMillis(r.expiresAt());
        if (ttl <= 0) {
            return command("DEL", key, tokensKey);
        }
        return guarded(putResponse.run(redis, List.of(key, tokensKey), List.of(r.toJson().encode(),
                        Integer.toString(r.contextTokens()), Long.toString(ttl), onlyIfAbsent ? "1" : "0")))
                .replaceWithVoid()
                .onFailure().recoverWithUni(() -> command("DEL", key, tokensKey));
    }

    // ---- conversations ---------------------------------------------------------------------------------------

    public Uni<Lookup<StoredConversation>> conversation(String tenant, String id) {
        return get(MemoryKeys.conversation(tenant, id))
                .map(value -> Lookup.of(value, v -> StoredConversation.fromJson(new JsonObject(v))))
                .onFailure().recoverWithItem(Lookup.none());
    }

    public Uni<Void> putConversation(StoredConversation c) {
        return put(MemoryKeys.conversation(c.tenant(), c.id()), c.toJson().encode(), c.expiresAt(), false);
    }

    public Uni<Void> warmConversation(StoredConversation c) {
        return put(MemoryKeys.conversation(c.tenant(), c.id()), c.toJson().encode(), c.expiresAt(), true);
    }

    /** The kept items, oldest first; empty when the list is cold (or Redis failed). */
    public Uni<Optional<List<MemoryItem>>> items(String tenant, String id) {
        return guarded(redis.execute("LRANGE", itemsKey(tenant, id), "0", "-1"))
                .map(response -> {
                    if (response == null || response.size() == 0) {
                        return Optional.<List<MemoryItem>>empty();
                    }
                    List<MemoryItem> items = new ArrayList<>(response.size());
                    for (Response entry : response) {
                        // from the bytes: no String copy of each item before parsing it
                        items.add(MemoryItem.fromJson(new JsonObject(entry.toBuffer().getDelegate())));
                    }
                    return Optional.of(items);
                })
                .onFailure().recoverWithItem(Optional.empty());
    }

    /** The whole kept history as read from PostgreSQL at {@code seq}, unless something newer ran since. */
    public Uni<Void> rebuildItems(String tenant, String id, long seq, List<MemoryItem> items, Instant expiresAt) {
        long ttl = ttlMillis(expiresAt);
        if (ttl <= 0) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(2 * items.size() + 2);
        args.add(Long.toString(ttl));
        args.add(Long.toString(seq));
        addItems(args, items);
        return script(rebuild, tenant, id, args);
    }

    /** Items PostgreSQL committed between seq {@code before} and {@code after}, appended if the list is warm. */
    public Uni<Void> appendItems(String tenant, String id, long before, long after, List<MemoryItem> items,
            int maxItems, Instant expiresAt) {
        List<String> args = new ArrayList<>(2 * items.size() + 4);
        args.add(Long.toString(Math.max(1, ttlMillis(expiresAt))));
        args.add(Integer.toString(maxItems));
        args.add(Long.toString(before));
        args.add(Long.toString(after));
        addItems(args, items);
        return script(append, tenant, id, args);
    }

    /** The items as the scripts take them: their JSON, then their token counts in the same order. */
    private static void addItems(List<String> args, List<MemoryItem> items) {
        for (MemoryItem item : items) {
            args.add(item.toJson().encode());
        }
        for (MemoryItem item : items) {
            args.add(Integer.toString(item.tokens()));
        }
    }

    /** An item was deleted at seq {@code after}: the list goes cold, and no older read may rebuild it. */
    public Uni<Void> invalidateItems(String tenant, String id, long after, Instant expiresAt) {
        return appendItems(tenant, id, -2, after, List.of(), 1, expiresAt);
    }

    public Uni<Void> deleteConversation(String tenant, String id) {
        String px = Long.toString(tombstoneMillis());
        return command("DEL", itemsKey(tenant, id), MemoryKeys.itemTokens(tenant, id))
                .chain(() -> command("SET", MemoryKeys.conversation(tenant, id), TOMBSTONE, "PX", px))
                .chain(() -> command("SET", MemoryKeys.mark(tenant, id), DELETED_MARK, "PX", px));
    }

    /** Expired rows are gone from PostgreSQL: their keys go too, one DEL per tenant (one cluster slot each). */
    public Uni<Void> evict(List<TenantScopedId> responses, List<TenantScopedId> conversations) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        for (TenantScopedId r : responses) {
            List<String> keys = byTenant.computeIfAbsent(r.tenant(), t -> new ArrayList<>());
            keys.add(responseKey(r.tenant(), r.id()));
            keys.add(MemoryKeys.responseTokens(r.tenant(), r.id()));
        }
        for (TenantScopedId c : conversations) {
            List<String> keys = byTenant.computeIfAbsent(c.tenant(), t -> new ArrayList<>());
            keys.add(MemoryKeys.conversation(c.tenant(), c.id()));
            keys.add(itemsKey(c.tenant(), c.id()));
            keys.add(MemoryKeys.itemTokens(c.tenant(), c.id()));
            keys.add(MemoryKeys.mark(c.tenant(), c.id()));
        }
        List<Uni<Void>> deletions = new ArrayList<>(byTenant.size());
        for (List<String> keys : byTenant.values()) {
            deletions.add(command("DEL", keys.toArray(String[]::new)));
        }
        return deletions.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deletions).andCollectFailures()
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    private Uni<String> get(String key) {
        return guarded(redis.execute("GET", key))
                .map(response -> response == null ? null : response.toString())
                .onFailure().recoverWithNull();
    }

    private Uni<Void> put(String key, String value, Instant expiresAt, boolean onlyIfAbsent) {
        long ttl = ttlMillis(expiresAt);
        if (ttl <= 0) {
            return command("DEL", key);
        }
        Uni<Response> set = onlyIfAbsent
                ? redis.execute("SET", key, value, "PX", Long.toString(ttl), "NX")
                : redis.execute("SET", key, value, "PX", Long.toString(ttl));
        return guarded(set).replaceWithVoid()
                .onFailure().recoverWithUni(() -> command("DEL", key));
    }

    private Uni<Void> script(RedisScript script, String tenant, String id, List<String> args) {
        String items = itemsKey(tenant, id);
        String tokens = MemoryKeys.itemTokens(tenant, id);
        return guarded(script.run(redis, List.of(items, MemoryKeys.mark(tenant, id), tokens), args)).replaceWithVoid()
                // the lists may now miss what PostgreSQL has: cold they are
                .onFailure().recoverWithUni(() -> command("DEL", items, tokens));
    }

    /** A best-effort command: failures are logged and swallowed. */
    private Uni<Void> command(String name, String... args) {
        return guarded(redis.execute(name, args)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<Response> guarded(Uni<Response> call) {
        return call.ifNoItem().after(config.redisTimeout()).fail()
                .invoke(() -> {
                    if (failing.compareAndSet(true, false)) {
                        Log.info("conversation memory: Redis answers again, hot cache back in use");
                    }
                })
                .onFailure().invoke(this::failed);
    }

    private void failed(Throwable failure) {
        if (failing.compareAndSet(false, true)) {
            Log.warnf("conversation memory: Redis failed (%s), reading and writing PostgreSQL only", failure.toString());
        } else {
            Log.debugf("conversation memory: Redis failed (%s)", failure.toString());
        }
    }

    private long ttlMillis(Instant expiresAt) {
        long untilExpiry = Duration.between(clock.instant(), expiresAt).toMillis();
        return Math.min(config.hotTtl().toMillis(), untilExpiry);
    }

    private long tombstoneMillis() {
        return config.dbTimeout().plus(config.redisTimeout()).toMillis() + 1000;
    }

    /** A cache answer: a value, a tombstone (deleted: do not read PostgreSQL), or a miss. */
    public record Lookup<T>(Optional<T> value, boolean deleted) {
        static <T> Lookup<T> none() {
            return new Lookup<>(Optional.empty(), false);
        }

        static <T> Lookup<T> of(String raw, java.util.function.Function<String, T> parse) {
            if (raw == null) {
                return none();
            }
            if (TOMBSTONE.equals(raw)) {
                return new Lookup<>(Optional.empty(), true);
            }
            return new Lookup<>(Optional.of(parse.apply(raw)), false);
        }

        boolean isMiss() {
            return value.isEmpty() && !deleted;
        }
    }
}
