package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;

import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * The walking skeleton end to end, on the packaged services started as separate processes exactly as
 * {@code ./sluice up} starts them: client → gateway → orchestrator → sim-provider and back, the key checked against
 * quota-service, the request counted in Redis, and one usage row in PostgreSQL through telemetry-service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {
    private static final String ADMIN_TOKEN = "e2e-admin-token";
    private static final List<String> SERVICES =
            List.of("gateway-service", "orchestrator-service", "quota-service", "telemetry-service");

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static OpenAIClient openai;

    @BeforeAll
    static void startSuite() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-"));
        started = suite.up(SuitePorts.free(), ADMIN_TOKEN);
        openai = OpenAIOkHttpClient.builder()
                .baseUrl(started.gatewayUrl() + "/v1")
                .apiKey(started.demoKey())
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    @Order(1)
    void everyServiceIsLiveReadyAndExportsMetricsAndOpenApi() {
        for (String service : SERVICES) {
            String base = started.managementUrl(service);
            given().get(base + "/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().get(base + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get(base + "/q/metrics").then().statusCode(200)
                    .body(containsString("jvm_memory_used_bytes"));
            given().get(base + "/q/openapi").then().statusCode(200).body(containsString("openapi"));
        }
        // Readiness really checks the dependencies, by name. The gateway reports where quota decisions are taken
        // instead of following Redis (a Redis outage must not take every replica out of the load balancer).
        given().get(started.managementUrl("gateway-service") + "/q/health/ready").then()
                .body("checks.name", hasItem("downstream-services"))
                .body("checks.find { it.name == 'quota-store' }.data.mode", equalTo("redis"));
        given().get(started.managementUrl("telemetry-service") + "/q/health/ready").then()
                .body("checks.name", hasItem(containsString("Redis")))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
    }

    @Test
    @Order(1)
    void theServicesAnswerEachOtherOnlyWithTheServiceToken() {
        String chat = "{\"model\":\"sim-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String orchestrator = "http://127.0.0.1:" + started.ports().orchestrator() + "/v1/chat/completions";
        String keyLookup = started.quotaUrl() + "/internal/keys/" + sha256Hex(started.demoKey());
        String report = "http://127.0.0.1:" + started.ports().telemetry() + "/internal/usage/report?tenant_id=t";
        // What any other peer of the network gets, whatever other credential it holds
        for (String authorization : List.of("", "Bearer " + started.demoKey(), "Bearer " + ADMIN_TOKEN)) {
            given().header("authorization", authorization).contentType("application/json").body(chat)
                    .post(orchestrator).then().statusCode(401).body("error.code", equalTo("invalid_service_token"));
            given().header("authorization", authorization).get(keyLookup).then().statusCode(401);
            given().header("authorization", authorization).get(report).then().statusCode(401);
        }
        // What the gateway gets
        given().header("authorization", started.serviceAuthorization()).contentType("application/json").body(chat)
                .post(orchestrator).then().statusCode(200).body("object", equalTo("chat.completion"));
        given().header("authorization", started.serviceAuthorization()).get(keyLookup).then().statusCode(200)
                .body("plan", equalTo("PRO"));
        given().header("authorization", started.serviceAuthorization()).get(report).then().statusCode(200);
        // and /q is on the management ports only
        for (String service : SERVICES) {
            given().get("http://127.0.0.1:" + started.ports().byName().get(service) + "/q/health/ready").then()
                    .statusCode(404);
        }
    }

    @Test
    @Order(2)
    void plainChatCompletionGoesThroughTheSuiteAndLandsInTheLedger() {
        HttpResponseFor<ChatCompletion> raw = openai.chat().completions().withRawResponse().create(hello(false));
        ChatCompletion completion = raw.parse();
        String content = completion.choices().get(0).message().content().orElseThrow();
        assertFalse(content.isBlank());
        long completionTokens = completion.usage().orElseThrow().completionTokens();
        String requestId = raw.headers().values("x-request-id").get(0);

        JsonPath row = awaitLedgerRow(requestId);
        assertEquals("success", row.getString("outcome"));
        assertEquals(false, row.getBoolean("stream"));
        assertEquals(completionTokens, row.getLong("completion_tokens"));
        assertEquals(completion.usage().orElseThrow().promptTokens(), row.getLong("prompt_tokens"));
        assertEquals("sim-gpt", row.getString("model"));
        assertEquals(200, row.getInt("status"));
    }

    @Test
    @Order(3)
    void streamedChatCompletionDeliversTheSameAnswerChunkByChunk() {
        String plain = openai.chat().completions().create(hello(false)).choices().get(0).message().content()
                .orElseThrow();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(hello(true))) {
            stream.stream().forEach(chunks::add);
        }
        String streamed = chunks.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse(""))
                .collect(Collectors.joining());
        assertEquals(plain, streamed);
        assertTrue(chunks.size() > 2, "one chunk per token, not one merged chunk");
        assertTrue(chunks.get(chunks.size() - 1).usage().isPresent(), "final usage chunk was requested");
    }

    @Test
    @Order(4)
    void streamedRequestIsBilledFromTheUsageChunkTheClientDidNotAskFor() throws Exception {
        HttpResponse<String> response = rawChat("""
                {"model":"sim-gpt","stream":true,"max_tokens":7,
                 "messages":[{"role":"user","content":"count to seven"}]}""");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertTrue(response.body().strip().endsWith("data: [DONE]"));
        // Not asked for, so not sent (as with OpenAI), yet billed from it below.
        assertFalse(response.body().contains("\"usage\""), response.body());
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();

        JsonPath row = awaitLedgerRow(requestId);
        assertEquals("success", row.getString("outcome"));
        assertEquals(true, row.getBoolean("stream"));
        assertEquals(7, row.getInt("completion_tokens"));
    }

    @Test
    @Order(5)
    void eachRequestIsCountedInRedisAndReportedInRateLimitHeaders() throws Exception {
        HttpResponse<String> first = rawChat(helloJson());
        HttpResponse<String> second = rawChat(helloJson());
        long limit = Long.parseLong(first.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        long remainingFirst = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        long remainingSecond = Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertEquals(100, limit, "the demo tenant is on the PRO plan");
        // Both in the same minute window, or the second in a fresh one.
        assertTrue(remainingSecond == remainingFirst - 1 || remainingSecond == limit - 1,
                remainingFirst + " then " + remainingSecond);
    }

    @Test
    @Order(6)
    void unknownKeyIsRefusedInOpenAiFormat() throws Exception {
        OpenAIClient stranger = OpenAIOkHttpClient.builder()
                .baseUrl(started.gatewayUrl() + "/v1").apiKey("sk-sluice-not-a-real-key").maxRetries(0).build();
        UnauthorizedException refused = assertThrows(UnauthorizedException.class,
                () -> stranger.chat().completions().create(hello(false)));
        assertEquals(401, refused.statusCode());

        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(started.gatewayUrl() + "/v1/chat/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(helloJson())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, raw.statusCode());
        JsonPath error = new JsonPath(raw.body());
        assertEquals("authentication_error", error.getString("error.type"));
        assertEquals("invalid_api_key", error.getString("error.code"));
    }

    @Test
    @Order(7)
    void malformedRequestIsRejectedBeforeAnythingIsForwarded() throws Exception {
        HttpResponse<String> response = rawChat("{\"model\":\"sim-gpt\",\"messages\":[]}");
        assertEquals(400, response.statusCode());
        JsonPath error = new JsonPath(response.body());
        assertEquals("invalid_request_error", error.getString("error.type"));
        assertEquals("messages", error.getString("error.param"));

        HttpResponse<String> badOptions = rawChat("{\"model\":\"sim-gpt\",\"stream\":true,\"stream_options\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(400, badOptions.statusCode());
        assertEquals("stream_options", new JsonPath(badOptions.body()).getString("error.param"));

        HttpResponse<String> notJson = rawChat("{\"model\":");
        assertEquals(400, notJson.statusCode());
        assertEquals("invalid_json", new JsonPath(notJson.body()).getString("error.code"));
    }

    @Test
    @Order(8)
    void embeddingsAreServedReportTokenHeadersAndLandInTheLedger() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(started.gatewayUrl() + "/v1/embeddings"))
                        .header("authorization", "Bearer " + started.demoKey())
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"sim-embed\",\"input\":[\"first text\",\"second text\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonPath body = new JsonPath(response.body());
        assertEquals(2, body.getList("data").size());
        assertEquals("2000000", response.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow(),
                "PRO: 2M tokens per day");
        assertTrue(response.headers().firstValue("ratelimit-policy").orElseThrow().contains("\"tpd\";q=2000000"));

        JsonPath row = awaitLedgerRow(response.headers().firstValue("x-request-id").orElseThrow());
        assertEquals("success", row.getString("outcome"));
        assertEquals(body.getInt("usage.prompt_tokens"), row.getInt("prompt_tokens"));
    }

    @Test
    @Order(9)
    void modelsListShowsWhatTheKeyMayUse() {
        List<String> all = given().header("authorization", "Bearer " + started.demoKey())
                .get(started.gatewayUrl() + "/v1/models").then().statusCode(200)
                .body("object", equalTo("list")).extract().jsonPath().getList("data.id");
        assertTrue(all.containsAll(List.of("sim-gpt", "sim-embed")), all.toString());

        QuotaAdmin admin = started.admin();
        String tenant = admin.createTenant("models-" + System.nanoTime(), "FREE");
        QuotaAdmin.IssuedKey restricted = admin.issueKey(tenant, "restricted", List.of("sim-gpt"));
        given().header("x-api-key", restricted.key()).get(started.gatewayUrl() + "/v1/models").then()
                .statusCode(200).body("data.id", equalTo(List.of("sim-gpt")));
        given().get(started.gatewayUrl() + "/v1/models").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
    }

    @ParameterizedTest
    @Order(10)
    @CsvSource({ "sim-gpt,openai", "sim-claude,anthropic", "sim-gemini,gemini" })
    void openAiSdkGetsTheSameAnswerPlainAndStreamedThroughEachProviderAdapter(String model, String provider) {
        ChatCompletionCreateParams plainParams = ChatCompletionCreateParams.builder().model(model).maxTokens(8)
                .addSystemMessage("Answer briefly.").addUserMessage("Which adapter is this?").build();
        HttpResponseFor<ChatCompletion> raw = openai.chat().completions().withRawResponse().create(plainParams);
        ChatCompletion plain = raw.parse();
        String content = plain.choices().get(0).message().content().orElseThrow();
        assertEquals(8, content.split(" ").length, "sim-provider answers max_tokens words: " + content);
        assertEquals(8, plain.usage().orElseThrow().completionTokens());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
                plainParams.toBuilder()
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        String streamed = chunks.stream().flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
        assertEquals(content, streamed);
        assertTrue(chunks.size() >= 8, "one chunk per token: " + chunks.size());
        assertEquals(8, chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens());

        JsonPath row = awaitLedgerRow(raw.headers().values("x-request-id").get(0));
        assertEquals(provider, row.getString("provider"));
        assertEquals(model, row.getString("model"));
        assertEquals(8, row.getInt("completion_tokens"));
    }

    @Test
    @Order(20)
    void anthropicSdkUsersChangeOnlyTheBaseUrl() {
        AnthropicClient anthropic = AnthropicOkHttpClient.builder()
                .baseUrl(started.gatewayUrl()).apiKey(started.demoKey()).maxRetries(0).build();
        MessageCreateParams params = MessageCreateParams.builder()
                .model("sim-claude").maxTokens(16).addUserMessage("Hello").build();

        com.anthropic.core.http.HttpResponseFor<Message> raw = anthropic.messages().withRawResponse().create(params);
        Message message = raw.parse();
        String plain = message.content().get(0).text().orElseThrow().text();
        assertFalse(plain.isBlank());
        assertEquals("sim-claude", message.model().asString());
        assertTrue(message.id().startsWith("msg_"));
        assertEquals(16, message.usage().outputTokens());
        JsonPath row = awaitLedgerRow(raw.headers().values("x-request-id").get(0));
        assertEquals("success", row.getString("outcome"));
        assertEquals("sim-claude", row.getString("model"));
        assertEquals("anthropic", row.getString("provider"));
        assertEquals(message.usage().inputTokens(), row.getLong("prompt_tokens"));
        assertEquals(message.usage().outputTokens(), row.getLong("completion_tokens"));

        MessageAccumulator accumulator = MessageAccumulator.create();
        StringBuilder streamed = new StringBuilder();
        int[] deltas = { 0 };
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                anthropic.messages().createStreaming(params)) {
            stream.stream().peek(accumulator::accumulate).forEach(event -> event.contentBlockDelta()
                    .flatMap(delta -> delta.delta().text())
                    .ifPresent(text -> {
                        streamed.append(text.text());
                        deltas[0]++;
                    }));
        }
        assertEquals(plain, streamed.toString());
        assertTrue(deltas[0] > 1, "one delta per token, not one merged event");
        Message whole = accumulator.message();
        assertTrue(whole.stopReason().isPresent());
        assertEquals(16, whole.usage().outputTokens(), "usage arrives in message_delta");
        JsonPath streamRow = awaitLedgerRow("req_" + whole.id().substring("msg_".length()));
        assertEquals(true, streamRow.getBoolean("stream"));
        assertEquals(whole.usage().outputTokens(), streamRow.getLong("completion_tokens"));
    }

    @Test
    @Order(21)
    void anthropicErrorsAreInAnthropicFormat() throws Exception {
        AnthropicClient stranger = AnthropicOkHttpClient.builder()
                .baseUrl(started.gatewayUrl()).apiKey("sk-sluice-not-a-real-key").maxRetries(0).build();
        com.anthropic.errors.UnauthorizedException refused = assertThrows(
                com.anthropic.errors.UnauthorizedException.class,
                () -> stranger.messages().create(MessageCreateParams.builder()
                        .model("sim-claude").maxTokens(16).addUserMessage("Hello").build()));
        assertEquals("authentication_error", refused.errorType().orElseThrow().asString());

        HttpResponse<String> invalid = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(started.gatewayUrl() + "/v1/messages"))
                        .header("x-api-key", started.demoKey()).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"sim-claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, invalid.statusCode());
        JsonPath body = JsonPath.from(invalid.body());
        assertEquals("error", body.getString("type"));
        assertEquals("invalid_request_error", body.getString("error.type"));
        assertTrue(body.getString("error.message").contains("max_tokens"));
    }

    @Test
    @Order(90)
    void usageThroughTheGatewayPricesEveryRequestByThePriceTableAndShowsOnlyTheKeysTenant() throws Exception {
        QuotaAdmin admin = started.admin();
        String key = admin.issueKey(admin.createTenant("e2e-usage-" + UUID.randomUUID(), "PRO"), "u").key();
        // The provider reports 6 prompt tokens of the next 3 sim-gpt calls as prompt-cache hits.
        given().contentType("application/json")
                .body("{\"model\":\"sim-gpt\",\"directives\":\"cached=6\",\"times\":3}")
                .post("http://127.0.0.1:" + started.ports().sim() + "/sim/rules").then().statusCode(201);
        // Published list prices, USD per 1M tokens (input, cached input, output): api-contracts' defaults.
        Map<String, BigDecimal[]> prices = Map.of(
                "sim-gpt", new BigDecimal[] { new BigDecimal("2.50"), new BigDecimal("1.25"), new BigDecimal("10.00") },
                "sim-gpt-mini", new BigDecimal[] { new BigDecimal("0.15"), new BigDecimal("0.075"),
                        new BigDecimal("0.60") });
        BigDecimal expected = BigDecimal.ZERO;
        int cachedSeen = 0;
        for (String model : List.of("sim-gpt", "sim-gpt", "sim-gpt", "sim-gpt", "sim-gpt-mini", "sim-gpt-mini")) {
            HttpResponse<String> answer = rawChat(key, "{\"model\":\"" + model + "\",\"max_tokens\":12,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Price me, please\"}]}");
            assertEquals(200, answer.statusCode(), answer.body());
            JsonPath usage = JsonPath.from(answer.body()).setRootPath("usage");
            long prompt = usage.getLong("prompt_tokens");
            long cached = usage.getLong("prompt_tokens_details.cached_tokens");
            long completion = usage.getLong("completion_tokens");
            cachedSeen += cached;
            BigDecimal[] price = prices.get(model);
            // USD per 1M tokens = micro-USD per token; each row is rounded up to a whole micro-dollar.
            BigDecimal micro = price[0].multiply(BigDecimal.valueOf(prompt - cached))
                    .add(price[1].multiply(BigDecimal.valueOf(cached)))
                    .add(price[2].multiply(BigDecimal.valueOf(completion)))
                    .setScale(0, RoundingMode.CEILING);
            expected = expected.add(micro.movePointLeft(6));
        }
        assertEquals(18, cachedSeen, "the provider's prompt-cache hits reach the client");
        BigDecimal expectedUsd = expected.setScale(6);

        String usageUrl = started.gatewayUrl() + "/v1/usage";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> given()
                .header("authorization", "Bearer " + key).get(usageUrl)
                .then().statusCode(200).body("total.requests", equalTo(6)));
        JsonPath report = given().header("authorization", "Bearer " + key)
                // A key cannot ask for another tenant's usage: the tenant always comes from the key.
                .queryParam("tenant_id", "someone-else").get(usageUrl)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(6, report.getInt("total.requests"));
        assertEquals(expectedUsd, new BigDecimal(report.getString("total.cost_usd")).setScale(6));
        assertEquals(18, report.getInt("total.cached_tokens"));

        String csv = given().header("authorization", "Bearer " + key).queryParam("format", "csv").get(usageUrl)
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertTrue(csv.startsWith("date,model,"), csv);
        assertEquals(3, csv.strip().split("\n").length, "a header and one line per model for today: " + csv);

        given().header("authorization", "Bearer " + key).queryParam("from", "not-a-date").get(usageUrl)
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        given().get(usageUrl).then().statusCode(401);
    }

    @Test
    @Order(100)
    void downLeavesNoProcessBehind() {
        SuiteShutdown.assertDownLeavesNothingBehind(suite, List.of("gateway-service"));
    }

    private static ChatCompletionCreateParams hello(boolean includeUsage) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model("sim-gpt")
                .addUserMessage("Hello from the end-to-end test");
        if (includeUsage) {
            params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        return params.build();
    }

    private static String helloJson() {
        return "{\"model\":\"sim-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    }

    private static HttpResponse<String> rawChat(String json) throws IOException, InterruptedException {
        return rawChat(started.demoKey(), json);
    }

    private static HttpResponse<String> rawChat(String key, String json) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(started.gatewayUrl() + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30))
                        .header("authorization", "Bearer " + key)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonPath awaitLedgerRow(String requestId) {
        return LedgerRows.awaitRow(started, requestId);
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
