package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;

import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * The exact response cache through the running suite, with the official SDKs: a repeated request is answered by
 * the gateway (no provider call, counted by sim-provider), with the same content, in the route's own format, plain
 * or streamed; the ledger bills it as a hit that cost nothing; Cache-Control directives do as specified; nothing is
 * shared across tenants or namespaces.
 */
class ResponseCacheIT {
    private static final String ADMIN_TOKEN = "e2e-cache-admin-token";
    /**
     * Hits asserted here must not turn into misses when this shared 2-CPU machine pauses a JVM beyond the 50 ms
     * lookup timeout; that a slow lookup is a miss is {@code ResponseCacheTest}'s.
     */
    static final Map<String, String> SLOW_MACHINE = Map.of("SLUICE_CACHE_LOOKUP_TIMEOUT", "2s");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static QuotaAdmin admin;
    private static String cachingKey;
    private static String cachingTenant;
    private static OpenAIClient openai;

    @BeforeAll
    static void startSuite() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-cache-"));
        started = suite.up(SuitePorts.free(), ADMIN_TOKEN, SLOW_MACHINE);
        admin = started.admin();
        cachingTenant = admin.createTenant("cache-a", "PRO");
        admin.cacheOn(cachingTenant, "exact", 600, "tenant");
        cachingKey = admin.issueKey(cachingTenant, "a").key();
        openai = OpenAIOkHttpClient.builder().baseUrl(started.gatewayUrl() + "/v1").apiKey(cachingKey)
                .maxRetries(0).build();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    void aRepeatedChatIsAnsweredByTheGatewayWithTheSameContentAndBilledAsAHit() {
        ChatCompletionCreateParams params = chat("What is the capital of France? " + UUID.randomUUID());
        long calls = providerCalls();
        var first = openai.chat().completions().withRawResponse().create(params);
        String content = first.parse().choices().get(0).message().content().orElseThrow();
        assertEquals(List.of("miss"), first.headers().values("x-sluice-cache"));
        assertEquals(calls + 1, providerCalls());

        var second = openai.chat().completions().withRawResponse().create(params);
        assertEquals(List.of("hit"), second.headers().values("x-sluice-cache"));
        assertEquals(1, second.headers().values("age").size());
        assertEquals(content, second.parse().choices().get(0).message().content().orElseThrow());
        assertEquals(calls + 1, providerCalls(), "a hit never reaches a provider");

        JsonPath missRow = LedgerRows.awaitRow(started, first.headers().values("x-request-id").get(0));
        JsonPath hitRow = LedgerRows.awaitRow(started, second.headers().values("x-request-id").get(0));
        assertFalse(missRow.getBoolean("cache_hit"));
        assertTrue(hitRow.getBoolean("cache_hit"));
        assertEquals(0.0, hitRow.getDouble("cost_usd"));
        assertEquals(missRow.getDouble("cost_usd"), hitRow.getDouble("saved_cost_usd"));
        assertEquals(missRow.getLong("prompt_tokens"), hitRow.getLong("prompt_tokens"));
    }

    @Test
    void aStreamedAnswerIsStoredAndReplayedToPlainAndStreamingRequests() {
        String question = "Count to five. " + UUID.randomUUID();
        long calls = providerCalls();
        String streamed = streamedContent(openai, chatStreaming(question));
        assertEquals(calls + 1, providerCalls());

        var plain = openai.chat().completions().withRawResponse().create(chat(question));
        assertEquals(List.of("hit"), plain.headers().values("x-sluice-cache"));
        assertEquals(streamed, plain.parse().choices().get(0).message().content().orElseThrow());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions()
                .createStreaming(chatStreaming(question))) {
            stream.stream().forEach(chunks::add);
        }
        assertEquals(streamed, chunks.stream().flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining()));
        assertTrue(chunks.get(chunks.size() - 1).usage().isPresent(), "the usage chunk, as asked");
        assertEquals(calls + 1, providerCalls());
    }

    @Test
    void anthropicClientsGetHitsInAnthropicsFormatPlainAndStreamed() {
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(started.gatewayUrl())
                .apiKey(cachingKey).maxRetries(0).build();
        MessageCreateParams params = MessageCreateParams.builder().model("sim-claude").maxTokens(16)
                .addUserMessage("Hello Claude " + UUID.randomUUID()).build();
        long calls = providerCalls();
        HttpResponseFor<Message> first = anthropic.messages().withRawResponse().create(params);
        String text = first.parse().content().get(0).text().orElseThrow().text();
        assertEquals(List.of("miss"), first.headers().values("x-sluice-cache"));

        HttpResponseFor<Message> second = anthropic.messages().withRawResponse().create(params);
        assertEquals(List.of("hit"), second.headers().values("x-sluice-cache"));
        assertEquals(text, second.parse().content().get(0).text().orElseThrow().text());
        assertEquals(first.parse().usage().outputTokens(), second.parse().usage().outputTokens());

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message replayed = accumulator.message();
        assertEquals(text, replayed.content().get(0).text().orElseThrow().text());
        assertTrue(replayed.stopReason().isPresent());
        assertEquals(calls + 1, providerCalls());
    }

    @Test
    void embeddingsAreCachedToo() throws Exception {
        String body = "{\"model\":\"sim-embed\",\"input\":\"cache me " + UUID.randomUUID() + "\"}";
        long calls = providerCalls();
        HttpResponse<String> first = post("/v1/embeddings", cachingKey, body);
        HttpResponse<String> second = post("/v1/embeddings", cachingKey, body);
        assertEquals(200, second.statusCode(), second.body());
        assertEquals("miss", first.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals("hit", second.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals(first.body(), second.body(), "byte for byte");
        assertEquals(calls + 1, providerCalls());
    }

    @Test
    void cacheControlDirectivesDoAsSpecified() throws Exception {
        String body = chatJson("Directives " + UUID.randomUUID());
        HttpResponse<String> onlyIfCached = post("/v1/chat/completions", cachingKey, body, "only-if-cached");
        assertEquals(504, onlyIfCached.statusCode());
        assertEquals("cache_miss", new JsonPath(onlyIfCached.body()).getString("error.code"));

        long calls = providerCalls();
        HttpResponse<String> noStore = post("/v1/chat/completions", cachingKey, body, "no-store");
        assertEquals("bypass", noStore.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals(504, post("/v1/chat/completions", cachingKey, body, "only-if-cached").statusCode(),
                "no-store stored nothing");
        assertEquals(calls + 1, providerCalls());

        HttpResponse<String> stored = post("/v1/chat/completions", cachingKey, body);
        assertEquals("miss", stored.headers().firstValue("x-sluice-cache").orElseThrow());
        HttpResponse<String> cached = post("/v1/chat/completions", cachingKey, body, "only-if-cached");
        assertEquals(200, cached.statusCode());
        assertEquals("hit", cached.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals("hit", post("/v1/chat/completions", cachingKey, body, "max-age=3600").headers()
                .firstValue("x-sluice-cache").orElseThrow());
        // an entry is at least a millisecond old by now: max-age=0 accepts none of them
        HttpResponse<String> tooOld = post("/v1/chat/completions", cachingKey, body, "max-age=0");
        assertEquals("miss", tooOld.headers().firstValue("x-sluice-cache").orElseThrow());
        HttpResponse<String> refreshed = post("/v1/chat/completions", cachingKey, body, "no-cache");
        assertEquals("refresh", refreshed.headers().firstValue("x-sluice-cache").orElseThrow());
        assertEquals(calls + 4, providerCalls(), "no-store, the first miss, max-age=0 and no-cache called");

        HttpResponse<String> malformed = post("/v1/chat/completions", cachingKey, body, "max-age=soon");
        assertEquals(400, malformed.statusCode());
        assertEquals("Cache-Control", new JsonPath(malformed.body()).getString("error.param"));
    }

    @Test
    void noAnswerCrossesTenantsOrNamespaces() throws Exception {
        String body = chatJson("Shared question " + UUID.randomUUID());
        post("/v1/chat/completions", cachingKey, body);
        assertEquals("hit", post("/v1/chat/completions", cachingKey, body).headers()
                .firstValue("x-sluice-cache").orElseThrow());

        String otherTenant = admin.createTenant("cache-b", "PRO");
        admin.cacheOn(otherTenant, "exact", 600, "tenant");
        String otherKey = admin.issueKey(otherTenant, "b").key();
        assertEquals("miss", post("/v1/chat/completions", otherKey, body).headers()
                .firstValue("x-sluice-cache").orElseThrow(), "another tenant never gets A's answer");

        HttpResponse<String> otherNamespace = send("/v1/chat/completions", cachingKey, body,
                "x-sluice-cache-namespace", "team-b");
        assertEquals("miss", otherNamespace.headers().firstValue("x-sluice-cache").orElseThrow());
        HttpResponse<String> badNamespace = send("/v1/chat/completions", cachingKey, body,
                "x-sluice-cache-namespace", "../x");
        assertEquals(400, badNamespace.statusCode());

        String secondKeySameTenant = admin.issueKey(cachingTenant, "a2").key();
        assertEquals("hit", post("/v1/chat/completions", secondKeySameTenant, body).headers()
                .firstValue("x-sluice-cache").orElseThrow(), "keys of one tenant share with namespaces=tenant");
    }

    @Test
    void aTenantClearsItsOwnCache() throws Exception {
        String body = chatJson("Forget me " + UUID.randomUUID());
        post("/v1/chat/completions", cachingKey, body);
        given().header("authorization", "Bearer " + cachingKey).delete(started.gatewayUrl() + "/v1/cache")
                .then().statusCode(200);
        assertEquals("miss", post("/v1/chat/completions", cachingKey, body).headers()
                .firstValue("x-sluice-cache").orElseThrow());
    }

    @Test
    void keysWithoutTheCacheSeeNoChange() throws Exception {
        String body = chatJson("Uncached " + UUID.randomUUID());
        long calls = providerCalls();
        HttpResponse<String> first = post("/v1/chat/completions", started.demoKey(), body, "only-if-cached");
        HttpResponse<String> second = post("/v1/chat/completions", started.demoKey(), body);
        assertEquals(200, first.statusCode(), "Cache-Control means nothing to a key without the cache");
        assertTrue(first.headers().firstValue("x-sluice-cache").isEmpty());
        assertTrue(second.headers().firstValue("x-sluice-cache").isEmpty());
        assertEquals(calls + 2, providerCalls());
    }

    private static ChatCompletionCreateParams chat(String question) {
        return ChatCompletionCreateParams.builder().model("sim-gpt").maxCompletionTokens(12)
                .addUserMessage(question).build();
    }

    private static ChatCompletionCreateParams chatStreaming(String question) {
        return ChatCompletionCreateParams.builder().model("sim-gpt").maxCompletionTokens(12)
                .addUserMessage(question)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    }

    private static String streamedContent(OpenAIClient client, ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            return stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
        }
    }

    private static String chatJson(String question) {
        return "{\"model\":\"sim-gpt\",\"max_tokens\":12,\"messages\":[{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
    }

    private static long providerCalls() {
        return given().get("http://127.0.0.1:" + started.ports().sim() + "/sim/stats").then().statusCode(200)
                .extract().jsonPath().getLong("requests");
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        return send(path, key, body);
    }

    private static HttpResponse<String> post(String path, String key, String body, String cacheControl)
            throws Exception {
        return send(path, key, body, "cache-control", cacheControl);
    }

    private static HttpResponse<String> send(String path, String key, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(started.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
