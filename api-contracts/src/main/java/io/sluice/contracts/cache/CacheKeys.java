package io.sluice.contracts.cache;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of the Redis keys behind the response cache. Every key of a tenant shares the hash tag {@code {tenant}}, so
 * the scripts that store, read and evict touch one slot on Redis Cluster. The gateway writes and reads entries;
 * quota-service's admin API reads the figures and clears them; both through this class and {@code cache-clear.lua}
 * beside it.
 *
 * <pre>
 * sluice:c:{tenant}:e:&lt;member&gt;   one stored answer (hash: body, meta, cost, created), expires with its TTL
 * sluice:c:{tenant}:lru           sorted set: member -&gt; last use (epoch ms), the eviction order
 * sluice:c:{tenant}:size          hash: member -&gt; bytes the entry occupies
 * sluice:c:{tenant}:stats         hash: bytes, hits, misses, saved_micro_usd, evictions
 * sluice:c:{tenant}:vec           stream: the questions of semantic entries (member, partition, question, vector),
 *                                 from which every gateway replica builds its vector index of the tenant
 * </pre>
 *
 * Every stored answer is also announced on the pub/sub channel {@link #STORED_CHANNEL} ({@link #storedMessage}), from
 * which each gateway replica keeps its filter of the entries that exist.
 * <p>
 * A member is {@code <namespace>/<scope>/<sha256 of the canonical request>}: scope {@code -} for entries shared by
 * the tenant's keys, the key id for a key's own.
 */
public final class CacheKeys {
    public static final String PREFIX = "sluice:c:";
    public static final String DEFAULT_NAMESPACE = "default";
    public static final String SHARED_SCOPE = "-";
    /** The script that deletes a tenant's entries (all, or one namespace's) and keeps the byte count true. */
    public static final String CLEAR_SCRIPT = "cache-clear.lua";
    /** Pub/sub channel: a message ({@link #storedMessage}) for every answer stored, by whichever gateway replica. */
    public static final String STORED_CHANNEL = PREFIX + "stored";
    /** Matches every tenant's {@link #lru} key (a tenant id holds no brace). */
    public static final String LRU_PATTERN = PREFIX + "{*}:lru";

    public static final String STAT_BYTES = "bytes";
    public static final String STAT_HITS = "hits";
    public static final String STAT_MISSES = "misses";
    public static final String STAT_SAVED_MICRO_USD = "saved_micro_usd";
    public static final String STAT_EVICTIONS = "evictions";

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private CacheKeys() {
    }

    /** A namespace a client or an operator may name: 1-64 of {@code [A-Za-z0-9._-]}. */
    public static boolean isValidNamespace(String namespace) {
        return namespace != null && NAMESPACE.matcher(namespace).matches();
    }

    public static String member(String namespace, String scope, String requestSha256) {
        return namespace + "/" + scope + "/" + requestSha256;
    }

    /** The prefix of every member of one namespace. */
    public static String namespacePrefix(String namespace) {
        return namespace + "/";
    }

    public static String entryPrefix(String tenantId) {
        return PREFIX + "{" + tenantId + "}:e:";
    }

    public static String entry(String tenantId, String member) {
        return entryPrefix(tenantId) + member;
    }

    public static String lru(String tenantId) {
        return PREFIX + "{" + tenantId + "}:lru";
    }

    /** The tenant of an {@link #lru} key; null for any other key. */
    public static String tenantOfLru(String key) {
        String head = PREFIX + "{";
        String tail = "}:lru";
        if (!key.startsWith(head) || !key.endsWith(tail) || key.length() <= head.length() + tail.length()) {
            return null;
        }
        return key.substring(head.length(), key.length() - tail.length());
    }

    /** A message of {@link #STORED_CHANNEL}: neither a tenant id nor a member holds a line break. */
    public static String storedMessage(String tenantId, String member) {
        return tenantId + "\n" + member;
    }

    /** An entry a {@link #storedMessage} announces. */
    public record StoredEntry(String tenantId, String member) {
    }

    /** What a {@link #storedMessage} announces; null for anything else. */
    public static StoredEntry parseStoredMessage(String message) {
        int split = message.indexOf('\n');
        return split <= 0 || split == message.length() - 1 ? null
                : new StoredEntry(message.substring(0, split), message.substring(split + 1));
    }

    public static String sizes(String tenantId) {
        return PREFIX + "{" + tenantId + "}:size";
    }

    public static String stats(String tenantId) {
        return PREFIX + "{" + tenantId + "}:stats";
    }

    public static String vectors(String tenantId) {
        return PREFIX + "{" + tenantId + "}:vec";
    }

    /** KEYS of {@code cache-clear.lua}: lru, sizes, stats, vectors; its ARGV are {@link #clearArguments}. */
    public static List<String> clearKeys(String tenantId) {
        return List.of(lru(tenantId), sizes(tenantId), stats(tenantId), vectors(tenantId));
    }

    /** ARGV of {@code cache-clear.lua}: the entry prefix and the namespace to clear ("" for all). */
    public static List<String> clearArguments(String tenantId, String namespaceOrNull) {
        return List.of(entryPrefix(tenantId), namespaceOrNull == null ? "" : namespacePrefix(namespaceOrNull));
    }
}
