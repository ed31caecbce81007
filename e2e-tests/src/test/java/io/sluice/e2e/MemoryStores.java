package io.sluice.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.suite.LocalSuite;
import redis.clients.jedis.Jedis;

/**
 * What conversation memory left in the suite's stores, read straight from them: rows of the orchestrator's
 * PostgreSQL schema {@code memory} and Redis keys {@code sluice:mem:{<tenant>}:*} that mention an id. Independent of
 * the tables' layout: a row counts when its text form (every column) contains the id.
 */
final class MemoryStores {
    static final String SCHEMA = "memory";

    private MemoryStores() {
    }

    /** Rows mentioning {@code id}, by table of the schema {@code memory} (tables without any are left out). */
    static Map<String, Long> rowsMentioning(LocalSuite.Started started, String id) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + started.ports().postgres() + "/" + EmbeddedPostgresStore.DATABASE;
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(url, EmbeddedPostgresStore.USER, "postgres")) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement list = db.prepareStatement("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                list.setString(1, SCHEMA);
                try (ResultSet names = list.executeQuery()) {
                    while (names.next()) {
                        tables.add(names.getString(1));
                    }
                }
            }
            if (tables.isEmpty()) {
                throw new AssertionError("no tables in the PostgreSQL schema '" + SCHEMA + "'");
            }
            for (String table : tables) {
                String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
                try (PreparedStatement count = db.prepareStatement(
                        "SELECT count(*) FROM " + SCHEMA + "." + quoted + " t WHERE t::text LIKE ?")) {
                    count.setString(1, "%" + id + "%");
                    try (ResultSet result = count.executeQuery()) {
                        result.next();
                        if (result.getLong(1) > 0) {
                            rows.put(table, result.getLong(1));
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** Keys of the tenant's memory hot cache whose name contains {@code id}. */
    static List<String> redisKeysMentioning(LocalSuite.Started started, String tenantId, String id) {
        try (Jedis redis = new Jedis("127.0.0.1", started.ports().redis())) {
            return redis.keys("sluice:mem:{" + tenantId + "}:*").stream().filter(key -> key.contains(id)).sorted()
                    .toList();
        }
    }

    /**
     * Keys of the tenant's memory hot cache whose name contains {@code id}, each with what it holds (a string's value,
     * else its type) and its remaining time to live in milliseconds (-1: none).
     */
    static Map<String, String> redisEntriesMentioning(LocalSuite.Started started, String tenantId, String id) {
        Map<String, String> entries = new LinkedHashMap<>();
        try (Jedis redis = new Jedis("127.0.0.1", started.ports().redis())) {
            for (String key : redis.keys("sluice:mem:{" + tenantId + "}:*").stream().sorted().toList()) {
                if (key.contains(id)) {
                    String type = redis.type(key);
                    if ("none".equals(type)) {
                        continue; // expired since KEYS listed it
                    }
                    String value = "string".equals(type) ? redis.get(key) : "<" + type + ">";
                    entries.put(key, value + " pttl=" + redis.pttl(key));
                }
            }
        }
        return entries;
    }

    /** Every key of the tenant's memory hot cache. */
    static List<String> redisKeys(LocalSuite.Started started, String tenantId) {
        try (Jedis redis = new Jedis("127.0.0.1", started.ports().redis())) {
            return redis.keys("sluice:mem:{" + tenantId + "}:*").stream().sorted().toList();
        }
    }
}
