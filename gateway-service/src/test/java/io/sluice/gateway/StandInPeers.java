package io.sluice.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.RelayHeaders;
import io.sluice.testsupport.quarkus.InjectStore;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's peers over real HTTP, as its contracts with them say: quota-service's key lookup
 * ({@code GET /internal/keys/{sha256}}), orchestrator-service's inference routes (OpenAI format, the relay headers;
 * what it answers is set per test) and telemetry-service's event intake ({@code POST /internal/usage/events}). One
 * Vert.x server in the test JVM, pointed at by the gateway's three URLs; a test gets it with {@link InjectStore}.
 */
public class StandInPeers implements QuarkusTestResourceLifecycleManager {
    /** A request the orchestrator received: its headers, body (null when it had none), method and URI. */
    public record Forwarded(MultiMap headers, JsonObject body, String method, String uri) {
    }

    public static final int MAX_ANSWER_BYTES = 65_536;
    public static final int MAX_SSE_EVENT_BYTES = 4_096;

    private final Map<String, JsonObject> grants = new ConcurrentHashMap<>();
    private final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();
    private final List<JsonObject> telemetryEvents = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<HttpServerRequest, JsonObject> orchestrator = StandInPeers::answerChat;
    private volatile int telemetryStatus = 200;
    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stand-in peers did not start", e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        // Small bounds on answers, so that tests can cross them cheaply.
        return Map.of("sluice.quota-service.url", url, "sluice.orchestrator.url", url, "sluice.telemetry.url", url,
                "sluice.orchestrator.max-answer-bytes", Integer.toString(MAX_ANSWER_BYTES),
                "sluice.orchestrator.max-sse-event-bytes", Integer.toString(MAX_SSE_EVENT_BYTES));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectStore.class, StandInPeers.class));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    /** A new key of the form quota-service mints, which the lookup answers with this grant. */
    public String issueKey(String tenantId, String plan, long tokensPerDay, KeyGrant.Budgets budgets,
            List<String> models) {
        String key = TestKeys.wellFormed();
        JsonObject grant = new JsonObject().put("key_id", "k-" + tenantId).put("tenant_id", tenantId)
                .put("tenant_name", tenantId).put("plan", plan)
                // Request limits whose 1% is a single request: decided in Redis one by one, no quota blocks to count.
                .put("limits", new JsonObject().put("requests_per_minute", 100).put("requests_per_hour", 10_000)
                        .put("requests_per_day", 100_000).put("tokens_per_day", tokensPerDay));
        if (budgets != null) {
            grant.put("budgets", new JsonObject().put("daily_usd", budgets.dailyUsd())
                    .put("monthly_usd", budgets.monthlyUsd()));
        }
        if (models != null) {
            grant.put("models", new JsonArray(models));
        }
        grants.put(sha256Hex(key), grant);
        return key;
    }

    /** The grant quota-service answers for a key, to change from now on (its cache policy, its memory policy). */
    public JsonObject grant(String key) {
        return grants.get(sha256Hex(key));
    }

    /** Changes the limits quota-service answers for a key from now on, as an admin change would. */
    public void changeTokensPerDay(String key, long tokensPerDay) {
        grants.get(sha256Hex(key)).getJsonObject("limits").put("tokens_per_day", tokensPerDay);
    }

    /** How the orchestrator answers from now on: given the request (headers read) and its JSON body. */
    public void orchestrator(BiConsumer<HttpServerRequest, JsonObject> answer) {
        this.orchestrator = answer;
    }

    public void resetOrchestrator() {
        this.orchestrator = StandInPeers::answerChat;
        forwarded.clear();
    }

    public List<Forwarded> forwarded() {
        return forwarded;
    }

    public List<JsonObject> telemetryEvents() {
        return telemetryEvents;
    }

    public void telemetryStatus(int status) {
        this.telemetryStatus = status;
    }

    /** A plain chat completion with its usage in the relay header, as the orchestrator answers. */
    public static void answerChat(HttpServerRequest request, JsonObject body) {
        request.response().putHeader("content-type", "application/json")
                .putHeader(RelayHeaders.PROVIDER, "openai").putHeader(RelayHeaders.DEPLOYMENT, "stand-in")
                .putHeader(RelayHeaders.MODEL, body.getString("model"))
                .putHeader(RelayHeaders.USAGE, "7,3,0")
                .end(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
                        .put("model", body.getString("model"))
                        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                                .put("message", new JsonObject().put("role", "assistant").put("content", "Hi there"))
                                .put("finish_reason", "stop")))
                        .put("usage", new JsonObject().put("prompt_tokens", 7).put("completion_tokens", 3)
                                .put("total_tokens", 10))
                        .encode());
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (request.method().name().equals("GET") && path.startsWith("/internal/keys/")) {
            JsonObject grant = grants.get(path.substring("/internal/keys/".length()));
            if (grant == null) {
                request.response().setStatusCode(404).end();
            } else {
                request.response().putHeader("content-type", "application/json").end(grant.encode());
            }
            return;
        }
        request.body().onSuccess(body -> {
            if (path.equals("/internal/usage/events")) {
                recordEvents(request, body);
            } else if (path.startsWith("/v1/") || path.startsWith("/internal/memory/")) {
                JsonObject json = body.length() == 0 ? null : body.toJsonObject();
                forwarded.add(new Forwarded(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json,
                        request.method().name(), request.uri()));
                orchestrator.accept(request, json);
            } else {
                request.response().setStatusCode(404).end();
            }
        });
    }

    private void recordEvents(HttpServerRequest request, Buffer body) {
        if (telemetryStatus != 200) {
            request.response().setStatusCode(telemetryStatus).end();
            return;
        }
        JsonArray events = body.toJsonObject().getJsonArray("events");
        events.forEach(event -> telemetryEvents.add((JsonObject) event));
        request.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("recorded", events.size()).put("duplicates", 0).put("rejected", 0).encode());
    }

    public static String sha256Hex(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
