package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.contracts.cache.CacheKeys;
import io.sluice.gateway.cache.semantic.QuantizedVector;
import io.sluice.gateway.cache.semantic.SemanticLookup;
import io.sluice.gateway.cache.semantic.SemanticRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

/**
 * Prepares and reads the semantic cache phase: logs {@code count} stored questions for a tenant in the partition the
 * benchmark's requests fall into (random unit vectors, as many as the 100,000-entry case), waits until the
 * gateway has indexed them, and reads the gateway's semantic lookup histogram (embedding and vector search).
 */
final class SemanticCacheProbe {
    private static final Pattern BUCKET = Pattern.compile(
            "^sluice_cache_lookup_duration_seconds_bucket\\{[^}]*kind=\"semantic\"[^}]*le=\"([^\"]+)\"[^}]*} (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SemanticCacheProbe() {
    }

    /** Logs {@code count} questions in the partition of {@link LoadTarget#chatBody}'s requests. */
    static void preload(int redisPort, String tenantId, int count) throws Exception {
        JsonObject body = new JsonObject(LoadTarget.chatBody(false));
        String partition = SemanticLookup.partition(CacheKeys.DEFAULT_NAMESPACE, CacheKeys.SHARED_SCOPE,
                SemanticRequest.of("/v1/chat/completions", body).orElseThrow().contextSha256());
        Vertx vertx = Vertx.vertx();
        try {
            RedisConnection redis = Redis.createClient(vertx, "redis://127.0.0.1:" + redisPort).connect()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Random random = new Random(42);
            for (int from = 0; from < count; from += 1_000) {
                List<Request> batch = new ArrayList<>();
                for (int i = from; i < Math.min(count, from + 1_000); i++) {
                    batch.add(Request.cmd(io.vertx.redis.client.Command.XADD).arg(CacheKeys.vectors(tenantId))
                            .arg("*").arg("m").arg(CacheKeys.member(CacheKeys.DEFAULT_NAMESPACE,
                                    CacheKeys.SHARED_SCOPE, "preloaded" + i))
                            .arg("p").arg(partition).arg("q").arg("Stored question number " + i + "?")
                            .arg("v").arg(QuantizedVector.of(unitVector(random)).base64()));
                }
                redis.batch(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            redis.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until the gateway's indexes hold at least {@code count} questions; answers how long that took. */
    static Duration awaitIndexed(String gatewayManagementUrl, long count, Duration limit)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long reported = start;
        Pattern gauge = Pattern.compile("^sluice_cache_semantic_questions(\\{[^}]*})? (\\S+)$");
        double indexed = 0;
        while (System.nanoTime() - start < limit.toNanos()) {
            try {
                for (String line : metrics(gatewayManagementUrl)) {
                    Matcher matcher = gauge.matcher(line);
                    if (matcher.matches()) {
                        indexed = Double.parseDouble(matcher.group(2));
                    }
                }
            } catch (HttpTimeoutException busy) {
                // the gateway is busy indexing: ask again
            }
            if (indexed >= count) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() - reported > TimeUnit.SECONDS.toNanos(15)) {
                SuiteBenchmark.log("semantic cache: " + (long) indexed + " questions indexed");
                reported = System.nanoTime();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the gateway did not index " + count + " questions within " + limit);
    }

    /** Cumulative bucket counts of the semantic lookup histogram, by upper bound in seconds. */
    static TreeMap<Double, Double> lookupBuckets(String gatewayManagementUrl) throws IOException,
            InterruptedException {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : metrics(gatewayManagementUrl)) {
            Matcher matcher = BUCKET.matcher(line);
            if (matcher.matches()) {
                double bound = "+Inf".equals(matcher.group(1)) ? Double.POSITIVE_INFINITY
                        : Double.parseDouble(matcher.group(1));
                buckets.put(bound, Double.parseDouble(matcher.group(2)));
            }
        }
        return buckets;
    }

    /**
     * The quantile of the lookups between two readings of the histogram, interpolated within its bucket (so only as
     * fine as the buckets: 1, 2, 5, 10, 25 ms ...); in ms.
     */
    static double quantileMs(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double quantile) {
        double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        double wanted = total * quantile;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= wanted) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double share = count == lowerCount ? 0 : (wanted - lowerCount) / (count - lowerCount);
                return (lowerBound + share * (bucket.getKey() - lowerBound)) * 1000;
            }
            lowerBound = bucket.getKey();
            lowerCount = count;
        }
        return Double.NaN;
    }

    static long lookups(TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
        return Math.round(after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0));
    }

    private static List<String> metrics(String managementUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().toList();
    }

    private static float[] unitVector(Random random) {
        float[] vector = new float[384];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }
}
