package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sluice.contracts.memory.MemoryKeys;
import io.sluice.testsupport.suite.LocalSuite;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

/**
 * Conversation memory (issue 20): a turn in a conversation holding {@value #ITEMS} items against a plain chat
 * completion of the same size, at one rate, through the gateway:
 * <ul>
 * <li>{@code chat completion}: {@code POST /v1/chat/completions} whose messages are {@value #ITEMS} stored-like
 * messages (user question, assistant answer, alternating) and the new question: the body a turn sends upstream;</li>
 * <li>{@code turn, Redis warm}: {@code POST /v1/responses} with {@code conversation} (round-robin over
 * {@code conversations} conversations, each pre-filled with {@value #ITEMS} items), {@code store: false}; every turn
 * appends its input and output to the conversation (PostgreSQL, then Redis), pruned back to {@value #ITEMS}, as in
 * real use, so the history stays the same size;</li>
 * <li>{@code turn, Redis cold}: the same, but once a turn has answered the driver deletes its conversation's hot keys
 * ({@code sluice:mem:{tenant}:conv:<id>}, {@code :items}, {@code :tokens}, {@code :seq}: what expiry of the hot TTL
 * leaves), so the next turn on it (a round later) finds Redis empty and reads PostgreSQL.</li>
 * </ul>
 * Redis' keyspace misses per request are reported for each, as proof of warm and cold. Before anything is
 * measured each target runs unmeasured (the turns first at a quarter of the rate) so that the JIT has compiled the
 * memory paths too (the suite's JIT warm-up only sends plain chat completions).
 */
final class MemoryPhase {
    static final int ITEMS = 100;
    static final String QUESTION = "Benchmark: describe the river in a few words.";
    private static final int BATCH = 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MemoryPhase() {
    }

    static void run(BenchSettings settings, LocalSuite.Started started, OpenLoopLoad load, LocalSuite suite,
            SuiteReport report, Vertx vertx) throws Exception {
        BenchTenant.Created tenant = BenchTenant.create(started, "benchmark-memory", null);
        String gateway = started.gatewayUrl().replace("localhost", "127.0.0.1");
        Map<String, String> auth = Map.of("authorization", "Bearer " + tenant.key());
        String answer = simAnswer(started.ports().sim());
        int count = settings.memoryConversations();
        SuiteBenchmark.log("memory: " + count + " conversations of " + ITEMS + " items");
        List<String> conversations = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            conversations.add(prefill(gateway, tenant.key(), answer));
        }
        RedisConnection redis = Redis.createClient(vertx, "redis://127.0.0.1:" + started.ports().redis()).connect()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            String probeKey = MemoryKeys.items(tenant.tenantId(), conversations.get(0));
            long held = redis.send(Request.cmd(Command.LLEN).arg(probeKey)).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).toLong();
            if (held != ITEMS) {
                throw new IllegalStateException("hot list " + probeKey + " holds " + held + " items, not " + ITEMS);
            }
            Buffer chat = Buffer.buffer(chatBody(answer));
            List<Buffer> turns = conversations.stream().map(id -> Buffer.buffer(turnBody(id))).toList();
            LoadTarget baseline = LoadTarget.custom("chat completion, " + (ITEMS + 1) + " messages",
                    gateway + "/v1/chat/completions", auth, i -> chat, i -> {
                    });
            LoadTarget warm = LoadTarget.custom("turn, Redis warm", gateway + "/v1/responses", auth,
                    i -> turns.get((int) (i % count)), i -> {
                    });
            LoadTarget cold = LoadTarget.custom("turn, Redis cold", gateway + "/v1/responses", auth,
                    i -> turns.get((int) (i % count)),
                    i -> evict(redis, tenant.tenantId(), conversations.get((int) (i % count))));
            int rate = settings.memoryRates().get(settings.memoryRates().size() - 1);
            for (int c = 0; c < 2; c++) { // one turn warm, one cold, each must answer 200
                if (c == 1) {
                    evict(redis, tenant.tenantId(), conversations.get(c));
                }
                long started0 = System.nanoTime();
                HttpResponse<String> check = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/responses"))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .header("authorization", "Bearer " + tenant.key())
                        .POST(HttpRequest.BodyPublishers.ofString(turnBody(conversations.get(c)))).build(),
                        HttpResponse.BodyHandlers.ofString());
                SuiteBenchmark.log("memory: a " + (c == 0 ? "warm" : "cold") + " turn answered " + check.statusCode()
                        + " in " + (System.nanoTime() - started0) / 1_000_000 + " ms");
                if (check.statusCode() != 200) {
                    throw new IllegalStateException("a turn answered " + check.statusCode() + ": " + check.body());
                }
            }
            // JIT and a check, not measured: the turns first at a quarter of the rate (their code is still
            // interpreted, and a 2-core machine falls behind at once), then at the rate
            for (LoadTarget target : List.of(baseline, warm, cold, warm)) {
                for (int pass : target == baseline ? new int[] {rate} : new int[] {Math.max(1, rate / 4), rate}) {
                    SuiteBenchmark.log("memory: warm-up of " + target.name() + " at " + pass + " requests/s");
                    OpenLoopLoad.Result check = load.run(target, pass, 0, 10, OpenLoopLoad.Window.NONE);
                    if (check.ok() == 0) {
                        throw new IllegalStateException(target.name() + ": every request failed");
                    }
                    if (check.failed() > 0) {
                        SuiteBenchmark.log("memory: " + target.name() + ": " + check.failed() + " of "
                                + check.measured() + " failed in the warm-up");
                    }
                }
            }
            int turnBytes = lastUpstreamBytes(started.ports().sim());
            load.run(baseline, 5, 0, 1, OpenLoopLoad.Window.NONE);
            int chatBytes = lastUpstreamBytes(started.ports().sim());
            report.memorySizes(chatBytes, turnBytes, count, answer);
            for (int measuredRate : settings.memoryRates()) {
                for (LoadTarget target : List.of(baseline, warm, cold)) {
                    if (target == cold) {
                        for (String id : conversations) {
                            evict(redis, tenant.tenantId(), id);
                        }
                        Thread.sleep(200);
                    }
                    SuiteBenchmark.log("memory: " + target.name() + " at " + measuredRate + " requests/s");
                    long[] before = keyspace(redis);
                    CpuWindow cpu = new CpuWindow(suite);
                    OpenLoopLoad.Result result = load.run(target, measuredRate, settings.warmupSeconds(),
                            settings.seconds(), cpu);
                    long[] after = keyspace(redis);
                    long requests = (long) measuredRate * (settings.warmupSeconds() + settings.seconds());
                    report.memory(result, cpu, (after[0] - before[0]) / (double) requests,
                            (after[1] - before[1]) / (double) requests);
                    Thread.sleep(2_000); // what is left of a backlog drains before the next target
                }
                // Then the chat and warm turns request by request at the same rate in total: their difference is
                // then the turn's, not the machine's drift between two phases (the first turns re-warm Redis).
                SuiteBenchmark.log("memory: chat completion and warm turns interleaved at " + measuredRate
                        + " requests/s");
                report.memoryInterleaved(measuredRate, load.interleaved(List.of(baseline, warm), measuredRate,
                        settings.warmupSeconds(), settings.seconds() * 2, OpenLoopLoad.Window.NONE));
                Thread.sleep(2_000);
            }
            if (settings.profileRate() > 0) {
                int profileRate = settings.memoryRates().get(0);
                SuiteBenchmark.log(settings.profiler() + " profile of warm turns at " + profileRate + " requests/s");
                Map<String, ProcessHandle> live = suite.liveProcesses();
                java.nio.file.Path work = settings.root().resolve("benchmarks/target/suite-bench");
                ServiceProfile gatewayProfile = ServiceProfile.start(settings.profiler(), live.get("gateway-service"),
                        work, "gateway-memory");
                ServiceProfile orchestratorProfile = ServiceProfile.start(settings.profiler(),
                        live.get("orchestrator-service"), work, "orchestrator-memory");
                OpenLoopLoad.Result profiled = load.run(warm, profileRate, 2, settings.seconds(),
                        OpenLoopLoad.Window.NONE);
                report.profile("gateway-service, warm turns at " + profileRate + "/s", gatewayProfile.stop(),
                        profiled);
                report.profile("orchestrator-service, warm turns at " + profileRate + "/s",
                        orchestratorProfile.stop(), profiled);
            }
        } finally {
            redis.close();
        }
    }

    /** The answer sim-provider gives the benchmark question: the assistant items are made of it. */
    private static String simAnswer(int simPort) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + simPort + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LoadTarget.chatBody(false))).build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content");
    }

    /** A conversation with {@value #ITEMS} items: created with the first batch, then the rest in batches. */
    private static String prefill(String gateway, String key, String answer) throws IOException, InterruptedException {
        List<JsonObject> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            boolean user = i % 2 == 0;
            items.add(new JsonObject().put("type", "message").put("role", user ? "user" : "assistant")
                    .put("content", new JsonArray().add(new JsonObject().put("type", user ? "input_text" : "output_text")
                            .put("text", user ? QUESTION : answer))));
        }
        JsonObject created = post(gateway + "/v1/conversations", key,
                new JsonObject().put("items", new JsonArray(items.subList(0, BATCH))));
        String id = created.getString("id");
        for (int from = BATCH; from < ITEMS; from += BATCH) {
            post(gateway + "/v1/conversations/" + id + "/items", key,
                    new JsonObject().put("items", new JsonArray(items.subList(from, Math.min(ITEMS, from + BATCH)))));
        }
        return id;
    }

    private static JsonObject post(String url, String key, JsonObject body) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                        .header("authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return new JsonObject(answer.body());
    }

    /** The chat completion a turn sends upstream: the stored messages (as the conversation holds them) and the new. */
    static String chatBody(String answer) {
        JsonArray messages = new JsonArray();
        for (int i = 0; i < ITEMS; i++) {
            messages.add(i % 2 == 0 ? new JsonObject().put("role", "user").put("content", QUESTION)
                    : new JsonObject().put("role", "assistant").put("content", answer));
        }
        messages.add(new JsonObject().put("role", "user").put("content", QUESTION));
        return new JsonObject().put("model", LoadTarget.MODEL).put("max_tokens", LoadTarget.MAX_TOKENS)
                .put("messages", messages).encode();
    }

    static String turnBody(String conversation) {
        return new JsonObject().put("model", LoadTarget.MODEL).put("max_output_tokens", LoadTarget.MAX_TOKENS)
                .put("conversation", conversation).put("store", false).put("input", QUESTION).encode();
    }

    /** The conversation's hot keys go, as when the hot TTL ends: the next read of it is PostgreSQL's. */
    private static void evict(RedisConnection redis, String tenant, String id) {
        redis.send(Request.cmd(Command.DEL).arg(MemoryKeys.conversation(tenant, id)).arg(MemoryKeys.items(tenant, id))
                .arg(MemoryKeys.itemTokens(tenant, id)).arg(MemoryKeys.mark(tenant, id)));
    }

    /** Redis' keyspace_hits and keyspace_misses so far. */
    private static long[] keyspace(RedisConnection redis) throws Exception {
        String info = redis.send(Request.cmd(Command.INFO).arg("stats")).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS).toString();
        long[] counts = new long[2];
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("keyspace_hits:")) {
                counts[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            } else if (line.startsWith("keyspace_misses:")) {
                counts[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return counts;
    }

    /** The size of the last chat completion sim-provider received (its {@code /sim/requests}). */
    private static int lastUpstreamBytes(int simPort) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + simPort + "/sim/requests")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonArray received = new JsonArray(answer.body());
        for (int i = received.size() - 1; i >= 0; i--) {
            JsonObject entry = received.getJsonObject(i);
            if (entry.getString("path").endsWith("/chat/completions")) {
                return Buffer.buffer(entry.getString("body")).length();
            }
        }
        return -1;
    }
}
