package io.sluice.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.sluice.benchmarks.suite.ProcessStats;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Reads what the soak watches for growth: each Java service's heap after a full GC (jcmd {@code GC.run}, then
 * {@code GC.heap_info}), open file descriptors of every process, Redis' memory, key count and usage stream, and
 * PostgreSQL's ledger row counts.
 */
final class SuiteGauges implements AutoCloseable {
    /** A generation or heap line of {@code GC.heap_info}: Serial, Parallel or G1. */
    private static final Pattern HEAP_LINE = Pattern.compile(
            "^\\s*(def new generation|tenured generation|PSYoungGen|ParOldGen|garbage-first heap)\\s+total \\d+K, used (\\d+)K");

    /** One minute's readings. */
    record Sample(long elapsedSeconds, long answered, Map<String, Double> heapAfterGcMiB, Map<String, Long> fds,
            Map<String, Double> rssMiB, double redisMiB, long redisKeys, long usageStreamLength, long pending,
            long deadLettered, long ledgerRows) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final RedisConnection redis;
    private final Connection ledger;

    SuiteGauges(int redisPort, int postgresPort, String database, String user) throws Exception {
        this.redis = Redis.createClient(vertx, "redis://127.0.0.1:" + redisPort).connect()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        this.ledger = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database,
                user, "postgres");
    }

    Sample read(long elapsedSeconds, long answered, Map<String, ProcessHandle> processes) throws Exception {
        Map<String, Double> heap = new LinkedHashMap<>();
        Map<String, Long> fds = new LinkedHashMap<>();
        Map<String, Double> rss = ProcessStats.rssMiB(processes);
        for (Map.Entry<String, ProcessHandle> process : processes.entrySet()) {
            long pid = process.getValue().pid();
            if (process.getKey().endsWith("-service")) {
                heap.put(process.getKey(), heapAfterFullGcMiB(pid));
            }
            fds.put(process.getKey(), openFileDescriptors(pid));
        }
        return new Sample(elapsedSeconds, answered, heap, fds, rss, redisUsedMiB(), redis(Request.cmd(Command.DBSIZE))
                .toLong(), redis(Request.cmd(Command.EXISTS).arg("sluice:usage")).toLong() == 0 ? 0
                : redis(Request.cmd(Command.XLEN).arg("sluice:usage")).toLong(), pending(),
                redis(Request.cmd(Command.EXISTS).arg("sluice:usage:dead")).toLong() == 0 ? 0
                        : redis(Request.cmd(Command.XLEN).arg("sluice:usage:dead")).toLong(),
                count("SELECT count(*) FROM telemetry.usage_records"));
    }

    /** How many of {@code requestIds} have a ledger row, and how many rows they have in all. */
    long[] ledgerRowsOf(List<String> requestIds) throws SQLException {
        long withRow = 0;
        long rows = 0;
        for (int from = 0; from < requestIds.size(); from += 10_000) {
            List<String> chunk = requestIds.subList(from, Math.min(requestIds.size(), from + 10_000));
            try (var query = ledger.prepareStatement("SELECT count(DISTINCT request_id), count(*) "
                    + "FROM telemetry.usage_records WHERE request_id = ANY (?)")) {
                query.setArray(1, ledger.createArrayOf("text", chunk.toArray()));
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    withRow += result.getLong(1);
                    rows += result.getLong(2);
                }
            }
        }
        return new long[] { withRow, rows };
    }

    long pending() throws Exception {
        if (redis(Request.cmd(Command.EXISTS).arg("sluice:usage")).toLong() == 0) {
            return 0;
        }
        return redis(Request.cmd(Command.XPENDING).arg("sluice:usage").arg("telemetry")).get(0).toLong();
    }

    private double redisUsedMiB() throws Exception {
        for (String line : redis(Request.cmd(Command.INFO).arg("memory")).toString().split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).strip()) / (1024.0 * 1024);
            }
        }
        return -1;
    }

    private Response redis(Request request) throws Exception {
        return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = ledger.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The live heap: what a full collection leaves (summed over the generations). */
    static double heapAfterFullGcMiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long usedKiB = 0;
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            Matcher matcher = HEAP_LINE.matcher(line);
            if (matcher.find()) {
                usedKiB += Long.parseLong(matcher.group(2));
            }
        }
        return usedKiB / 1024.0;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(java.toString(), "-J-Xmx32m", Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    static long openFileDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException gone) {
            return -1;
        }
    }

    @Override
    public void close() throws SQLException {
        redis.close();
        vertx.close();
        ledger.close();
    }
}
