package io.sluice.contracts.memory;

/**
 * Names of conversation memory's Redis keys. orchestrator-service owns them (Redis is the write-through hot cache of
 * its PostgreSQL schema {@code memory}); the gateway only reads the token counts, to size a turn's quota reservation
 * without asking the orchestrator. Every key of a tenant shares the hash tag {@code {tenant}}, so one script may
 * touch several on Redis Cluster.
 *
 * <pre>
 * sluice:mem:{tenant}:resp:&lt;id&gt;              a stored response (JSON)
 * sluice:mem:{tenant}:resp:&lt;id&gt;:tokens       the tokens of its context (what a turn chained on it sends)
 * sluice:mem:{tenant}:conv:&lt;id&gt;              a conversation's own fields (JSON)
 * sluice:mem:{tenant}:conv:&lt;id&gt;:items        its kept items, oldest first (a list of item JSON)
 * sluice:mem:{tenant}:conv:&lt;id&gt;:tokens       each kept item's tokens, in the same order (a list of integers)
 * sluice:mem:{tenant}:conv:&lt;id&gt;:seq          the seq the lists are complete up to
 * </pre>
 */
public final class MemoryKeys {
    private MemoryKeys() {
    }

    public static String response(String tenant, String id) {
        return prefix(tenant) + "resp:" + id;
    }

    public static String responseTokens(String tenant, String id) {
        return response(tenant, id) + ":tokens";
    }

    public static String conversation(String tenant, String id) {
        return prefix(tenant) + "conv:" + id;
    }

    public static String items(String tenant, String id) {
        return conversation(tenant, id) + ":items";
    }

    public static String itemTokens(String tenant, String id) {
        return conversation(tenant, id) + ":tokens";
    }

    public static String mark(String tenant, String id) {
        return conversation(tenant, id) + ":seq";
    }

    private static String prefix(String tenant) {
        return "sluice:mem:{" + tenant + "}:";
    }
}
