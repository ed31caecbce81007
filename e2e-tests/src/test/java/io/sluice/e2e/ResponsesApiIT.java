package io.sluice.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.ConversationUpdateParams;
import com.openai.models.conversations.items.ItemCreateParams;
import com.openai.models.conversations.items.ItemDeleteParams;
import com.openai.models.conversations.items.ItemListPage;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.conversations.items.ItemRetrieveParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.inputitems.InputItemListPage;
import com.openai.models.responses.inputitems.InputItemListParams;

import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * The Responses and Conversations APIs through the running suite with the stock OpenAI Java SDK, against the three
 * provider formats (sim-gpt: OpenAI, sim-claude: Anthropic, sim-gemini: Gemini): plain and streamed responses,
 * chains by previous_response_id and by conversation whose later turns reach the provider with the earlier ones
 * (read back from sim-provider's {@code /sim/requests}), input_items pages, a function calling round trip; a
 * conversation pruned to its last 100 items; tenant isolation; deletion from PostgreSQL and Redis; the ledger row;
 * then restarts of the orchestrator and of Redis, and PostgreSQL down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponsesApiIT {
    private static final ObjectMapper SDK_JSON = ObjectMappers.jsonMapper();
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static QuotaAdmin admin;
    private static SimProbe sim;
    private static String tenantA;
    private static OpenAIClient a;
    private static OpenAIClient b;

    @BeforeAll
    static void startSuite() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-responses-"));
        started = suite.up(SuitePorts.free(), null);
        admin = started.admin();
        sim = new SimProbe(started);
        tenantA = admin.createTenant("e2e-mem-a-" + UUID.randomUUID(), "ENTERPRISE");
        a = client(admin.issueKey(tenantA, "a").key());
        b = client(admin.issueKey(admin.createTenant("e2e-mem-b-" + UUID.randomUUID(), "ENTERPRISE"), "b").key());
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(started.gatewayUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Per provider format

    @ParameterizedTest
    @ValueSource(strings = {"sim-gpt", "sim-claude", "sim-gemini"})
    @Order(1)
    void plainAndStreamedResponses(String model) {
        String marker = marker();
        Response plain = a.responses().create(ResponseCreateParams.builder().model(model)
                .input("Describe a quiet valley " + marker).build());
        assertTrue(plain.id().startsWith("resp_"), plain.id());
        assertEquals("completed", plain.status().orElseThrow().asString());
        String text = outputText(plain);
        assertFalse(text.isBlank(), "output_text of " + json(plain));
        assertTrue(plain.usage().orElseThrow().inputTokens() > 0);
        assertTrue(plain.usage().orElseThrow().outputTokens() > 0);
        assertEquals(text, outputText(a.responses().retrieve(plain.id())), "GET returns the stored response");

        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = a.responses().createStreaming(ResponseCreateParams
                .builder().model(model).input("Describe a river at night " + marker).build())) {
            stream.stream().forEach(events::add);
        }
        List<JsonNode> wire = events.stream().map(event -> (JsonNode) SDK_JSON.valueToTree(event)).toList();
        List<String> types = wire.stream().map(event -> event.path("type").asText()).toList();
        assertTrue(events.get(0).isCreated(), "response.created first: " + types);
        assertTrue(events.get(events.size() - 1).isCompleted(), "response.completed last: " + types);
        for (int i = 1; i < wire.size(); i++) {
            assertTrue(wire.get(i).path("sequence_number").asLong() > wire.get(i - 1).path("sequence_number").asLong(),
                    "sequence_number strictly increasing: " + wire.stream()
                            .map(event -> event.path("sequence_number").asText()).toList());
        }
        assertInOrder(types, "response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        String deltas = events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .map(event -> event.asOutputTextDelta().delta()).collect(Collectors.joining());
        Response completed = events.get(events.size() - 1).asCompleted().response();
        assertFalse(deltas.isBlank());
        assertEquals(outputText(completed), deltas, "the deltas make the final output text");
        assertEquals(deltas, outputText(a.responses().retrieve(completed.id())), "a streamed response is stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim-gpt", "sim-claude", "sim-gemini"})
    @Order(2)
    void aThreeTurnChainReachesTheProviderWithEveryEarlierTurn(String model) {
        String marker = marker();
        List<String> inputs = List.of("chain one " + marker, "chain two " + marker, "chain three " + marker);
        List<Response> turns = new ArrayList<>();
        for (String input : inputs) {
            ResponseCreateParams.Builder params = ResponseCreateParams.builder().model(model).input(input);
            if (!turns.isEmpty()) {
                params.previousResponseId(turns.get(turns.size() - 1).id());
            }
            turns.add(a.responses().create(params.build()));
        }
        assertEquals(turns.get(1).id(), turns.get(2).previousResponseId().orElseThrow());
        assertSentWithHistory(inputs.get(2), List.of(inputs.get(0), outputText(turns.get(0)), inputs.get(1),
                outputText(turns.get(1))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim-gpt", "sim-claude", "sim-gemini"})
    @Order(3)
    void aThreeTurnConversationReachesTheProviderWithEveryEarlierTurnAndListsSixItems(String model) {
        String marker = marker();
        Conversation conversation = a.conversations().create(ConversationCreateParams.builder().build());
        assertTrue(conversation.id().startsWith("conv_"), conversation.id());
        List<String> inputs = List.of("talk one " + marker, "talk two " + marker, "talk three " + marker);
        List<String> outputs = new ArrayList<>();
        for (String input : inputs) {
            Response turn = a.responses().create(ResponseCreateParams.builder().model(model).input(input)
                    .conversation(conversation.id()).build());
            outputs.add(outputText(turn));
        }
        assertSentWithHistory(inputs.get(2), List.of(inputs.get(0), outputs.get(0), inputs.get(1), outputs.get(1)));

        ItemListPage items = a.conversations().items().list(conversation.id(),
                ItemListParams.builder().order(ItemListParams.Order.ASC).limit(20).build());
        List<JsonNode> listed = items.data().stream().map(item -> (JsonNode) SDK_JSON.valueToTree(item)).toList();
        assertEquals(List.of("user", "assistant", "user", "assistant", "user", "assistant"),
                listed.stream().map(item -> item.path("role").asText()).toList(), listed.toString());
        List<String> expected = List.of(inputs.get(0), outputs.get(0), inputs.get(1), outputs.get(1), inputs.get(2),
                outputs.get(2));
        assertEquals(expected, listed.stream().map(ResponsesApiIT::itemText).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim-gpt", "sim-claude", "sim-gemini"})
    @Order(4)
    void aFunctionCallRoundTripQuotesTheToolResult(String model) {
        String marker = marker();
        FunctionTool weather = FunctionTool.builder().name("get_weather").description("Current weather of a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .strict(true).build();
        long rule = sim.addRule(model, "tool-call");
        try {
            Response asked = a.responses().create(ResponseCreateParams.builder().model(model)
                    .input("What is the weather in Paris? " + marker).addTool(weather).build());
            ResponseFunctionToolCall call = asked.output().stream().filter(ResponseOutputItem::isFunctionCall)
                    .map(ResponseOutputItem::asFunctionCall).findFirst()
                    .orElseThrow(() -> new AssertionError("no function_call output item in " + json(asked)));
            assertEquals("get_weather", call.name());
            assertEquals(SDK_JSON.createObjectNode().put("city", "Paris"), readJson(call.arguments()));
            assertFalse(call.callId().isBlank());

            String result = "Sunny, 21 C in Paris " + marker;
            Response answered = a.responses().create(ResponseCreateParams.builder().model(model)
                    .previousResponseId(asked.id()).addTool(weather)
                    .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput
                            .builder().callId(call.callId()).output(result).build())))
                    .build());
            assertTrue(outputText(answered).contains(result), "the answer quotes the tool result: "
                    + outputText(answered));
            SimProbe.Received sent = sim.lastContaining(result).orElseThrow();
            assertTrue(sent.body().contains("What is the weather in Paris? " + marker), "the first input went too");
            assertTrue(sent.body().contains("get_weather"), "the call went too");

            // Streamed, the call arrives as function_call_arguments deltas that make the final item's arguments.
            List<ResponseStreamEvent> events = new ArrayList<>();
            try (StreamResponse<ResponseStreamEvent> stream = a.responses().createStreaming(ResponseCreateParams
                    .builder().model(model).input("And in Paris tomorrow? " + marker).addTool(weather).build())) {
                stream.stream().forEach(events::add);
            }
            List<String> types = events.stream()
                    .map(event -> ((JsonNode) SDK_JSON.valueToTree(event)).path("type").asText()).toList();
            assertTrue(events.get(events.size() - 1).isCompleted(), types.toString());
            assertInOrder(types, "response.created", "response.output_item.added",
                    "response.function_call_arguments.delta", "response.function_call_arguments.done",
                    "response.output_item.done", "response.completed");
            String streamedArguments = events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDelta)
                    .map(event -> event.asFunctionCallArgumentsDelta().delta()).collect(Collectors.joining());
            Response streamed = events.get(events.size() - 1).asCompleted().response();
            ResponseFunctionToolCall streamedCall = streamed.output().stream()
                    .filter(ResponseOutputItem::isFunctionCall).map(ResponseOutputItem::asFunctionCall).findFirst()
                    .orElseThrow(() -> new AssertionError("no function_call output item in " + json(streamed)));
            assertEquals("get_weather", streamedCall.name());
            assertEquals(readJson(streamedArguments), readJson(streamedCall.arguments()));
            assertEquals(SDK_JSON.createObjectNode().put("city", "Paris"), readJson(streamedCall.arguments()));
        } finally {
            sim.deleteRule(rule);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Once

    @Test
    @Order(10)
    void inputItemsArePagedAsOpenAiPagesLists() {
        String marker = marker();
        List<String> texts = IntStream.range(0, 5).mapToObj(i -> "page item " + i + " " + marker).toList();
        Response response = a.responses().create(ResponseCreateParams.builder().model("sim-gpt")
                .inputOfResponse(texts.stream().map(text -> ResponseInputItem.ofEasyInputMessage(
                        EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content(text).build())).toList())
                .build());

        InputItemListParams.Builder ascending = InputItemListParams.builder().order(InputItemListParams.Order.ASC)
                .limit(2);
        InputItemListPage first = a.responses().inputItems().list(response.id(), ascending.build());
        InputItemListPage second = a.responses().inputItems().list(response.id(),
                ascending.after(lastId(first)).build());
        InputItemListPage third = a.responses().inputItems().list(response.id(),
                ascending.after(lastId(second)).build());
        assertEquals(texts.subList(0, 2), pageTexts(first));
        assertEquals(Boolean.TRUE, first.hasMore().orElseThrow());
        assertEquals(texts.subList(2, 4), pageTexts(second));
        assertEquals(Boolean.TRUE, second.hasMore().orElseThrow());
        assertEquals(texts.subList(4, 5), pageTexts(third));
        assertEquals(Boolean.FALSE, third.hasMore().orElseThrow());

        InputItemListPage newestFirst = a.responses().inputItems().list(response.id(),
                InputItemListParams.builder().limit(2).build());
        assertEquals(List.of(texts.get(4), texts.get(3)), pageTexts(newestFirst), "OpenAI's default order is desc");
    }

    @Test
    @Order(11)
    void a150TurnConversationKeepsItsLast100ItemsAndSendsAtMostThose() {
        String marker = marker();
        Conversation conversation = a.conversations().create(ConversationCreateParams.builder().build());
        List<String> turns = IntStream.rangeClosed(1, 150).mapToObj(i -> String.format("turn-%03d-%s", i, marker))
                .toList();
        for (int from = 0; from < turns.size(); from += 20) {
            List<ResponseInputItem> batch = new ArrayList<>();
            for (int i = from; i < Math.min(from + 20, turns.size()); i++) {
                batch.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                        .role(i % 2 == 0 ? EasyInputMessage.Role.USER : EasyInputMessage.Role.ASSISTANT)
                        .content(turns.get(i)).build()));
            }
            a.conversations().items().create(conversation.id(), ItemCreateParams.builder().items(batch).build());
        }
        ItemListPage kept = a.conversations().items().list(conversation.id(),
                ItemListParams.builder().order(ItemListParams.Order.ASC).limit(100).build());
        assertEquals(turns.subList(50, 150), kept.data().stream()
                .map(item -> itemText(SDK_JSON.valueToTree(item))).toList(), "exactly the last 100, oldest first");
        assertEquals(Boolean.FALSE, kept.hasMore().orElse(false), "nothing older is left");

        String question = "turn-151-" + marker + " what came before?";
        Response answer = a.responses().create(ResponseCreateParams.builder().model("sim-gpt").input(question)
                .conversation(conversation.id()).build());
        JsonNode sent = sim.lastContaining(question).orElseThrow().json();
        List<String> history = new ArrayList<>();
        for (JsonNode message : sent.path("messages")) {
            String role = message.path("role").asText();
            if (("user".equals(role) || "assistant".equals(role)) && !message.toString().contains(question)) {
                history.add(message.path("content").toString());
            }
        }
        assertTrue(history.size() <= 100, "history messages sent: " + history.size());
        String body = sent.toString();
        assertTrue(body.contains(turns.get(149)), "the newest kept item went to the provider");
        turns.subList(0, 50).forEach(gone -> assertFalse(body.contains(gone), gone + " was pruned but sent"));

        ItemListPage after = a.conversations().items().list(conversation.id(),
                ItemListParams.builder().order(ItemListParams.Order.ASC).limit(100).build());
        List<String> afterTexts = after.data().stream().map(item -> itemText(SDK_JSON.valueToTree(item))).toList();
        assertEquals(100, afterTexts.size());
        assertEquals(List.of(question, outputText(answer)), afterTexts.subList(98, 100),
                "the turn's input and output were appended");
        assertEquals(turns.get(52), afterTexts.get(0), "and the two oldest pruned");
    }

    @Test
    @Order(12)
    void anotherTenantCanNeitherReadNorExtendNorListNorDeleteAResponseOrAConversation() {
        String marker = marker();
        Response response = a.responses().create(ResponseCreateParams.builder().model("sim-gpt")
                .input("tenant A's secret " + marker).build());
        Conversation conversation = a.conversations().create(ConversationCreateParams.builder()
                .addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                        .content("tenant A's conversation " + marker).build())
                .build());
        String itemId = a.conversations().items().list(conversation.id()).data().get(0).asMessage().id();

        Map<String, Executable> attempts = new java.util.LinkedHashMap<>();
        attempts.put("GET response", () -> b.responses().retrieve(response.id()));
        attempts.put("GET input_items", () -> b.responses().inputItems().list(response.id()));
        attempts.put("POST previous_response_id", () -> b.responses().create(ResponseCreateParams.builder()
                .model("sim-gpt").input("extend").previousResponseId(response.id()).build()));
        attempts.put("POST conversation", () -> b.responses().create(ResponseCreateParams.builder()
                .model("sim-gpt").input("extend").conversation(conversation.id()).build()));
        attempts.put("DELETE response", () -> b.responses().delete(response.id()));
        attempts.put("GET conversation", () -> b.conversations().retrieve(conversation.id()));
        attempts.put("POST conversation metadata", () -> b.conversations().update(conversation.id(),
                ConversationUpdateParams.builder().metadata(ConversationUpdateParams.Metadata.builder()
                        .putAdditionalProperty("owner", JsonValue.from("b")).build()).build()));
        attempts.put("GET items", () -> b.conversations().items().list(conversation.id()));
        attempts.put("POST items", () -> b.conversations().items().create(conversation.id(), ItemCreateParams
                .builder().addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("injected")
                        .build()).build()));
        attempts.put("GET item", () -> b.conversations().items().retrieve(itemId,
                ItemRetrieveParams.builder().conversationId(conversation.id()).build()));
        attempts.put("DELETE item", () -> b.conversations().items().delete(itemId,
                ItemDeleteParams.builder().conversationId(conversation.id()).build()));
        attempts.put("DELETE conversation", () -> b.conversations().delete(conversation.id()));
        List<String> notHidden = new ArrayList<>();
        attempts.forEach((what, attempt) -> {
            try {
                attempt.execute();
                notHidden.add(what + ": succeeded");
            } catch (NotFoundException expected) {
                // a 404, as for an id that does not exist
            } catch (OpenAIServiceException other) {
                notHidden.add(what + ": " + other.statusCode() + " " + other.body());
            } catch (Throwable other) {
                notHidden.add(what + ": " + other);
            }
        });
        assertEquals(List.of(), notHidden, "tenant B must get a 404 for each");

        assertEquals(outputText(response), outputText(a.responses().retrieve(response.id())));
        assertEquals(1, a.responses().inputItems().list(response.id()).data().size());
        assertEquals(conversation.id(), a.conversations().retrieve(conversation.id()).id());
        assertEquals(List.of("tenant A's conversation " + marker), a.conversations().items().list(conversation.id())
                .data().stream().map(item -> itemText(SDK_JSON.valueToTree(item))).toList());
        assertFalse(json(a.conversations().retrieve(conversation.id())).contains("\"owner\""),
                "B's metadata did not land");
    }

    @Test
    @Order(13)
    void deletingAResponseOrAConversationLeavesNothingInPostgresOrRedis() throws Exception {
        String marker = marker();
        Response response = a.responses().create(ResponseCreateParams.builder().model("sim-gpt")
                .input("forget me " + marker).build());
        Conversation conversation = a.conversations().create(ConversationCreateParams.builder()
                .addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("forget us " + marker)
                        .build())
                .build());
        a.conversations().items().create(conversation.id(), ItemCreateParams.builder().addItem(EasyInputMessage
                .builder().role(EasyInputMessage.Role.ASSISTANT).content("we are forgotten " + marker).build())
                .build());
        a.conversations().items().list(conversation.id()); // read once, so the hot cache holds it
        Map<String, Long> responseRowsBefore = MemoryStores.rowsMentioning(started, response.id());
        Map<String, Long> conversationRowsBefore = MemoryStores.rowsMentioning(started, conversation.id());
        List<String> responseKeysBefore = MemoryStores.redisKeysMentioning(started, tenantA, response.id());
        List<String> conversationKeysBefore = MemoryStores.redisKeysMentioning(started, tenantA, conversation.id());

        a.responses().delete(response.id());
        assertTrue(a.conversations().delete(conversation.id()).deleted());

        assertThrows(NotFoundException.class, () -> a.responses().retrieve(response.id()));
        assertThrows(NotFoundException.class, () -> a.conversations().retrieve(conversation.id()));
        assertThrows(NotFoundException.class, () -> a.conversations().items().list(conversation.id()));
        assertEquals(Map.of(), MemoryStores.rowsMentioning(started, response.id()), "PostgreSQL rows of the response");
        assertEquals(Map.of(), MemoryStores.rowsMentioning(started, conversation.id()),
                "PostgreSQL rows of the conversation and its items");
        assertEquals(Map.of(), MemoryStores.rowsMentioning(started, marker), "rows holding the deleted texts");
        // Right after a DELETE the hot cache may hold a tombstone under the id (HotCache: "-", or the highest mark
        // in a conversation's seq key) that stops a read begun before the deletion from re-warming it: no data, and
        // gone within seconds (db-timeout + redis-timeout + 1 s). After that, no key names the id at all.
        for (String id : List.of(response.id(), conversation.id())) {
            MemoryStores.redisEntriesMentioning(started, tenantA, id).forEach((key, entry) -> assertTrue(
                    entry.matches("(-|9007199254740991) pttl=\\d+"), "deleted data left in Redis: " + key + " = "
                            + entry));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertEquals(
                    Map.of(), MemoryStores.redisEntriesMentioning(started, tenantA, id), "Redis keys naming " + id));
        }
        // The checks above mean something only if the data was there to begin with.
        assertFalse(responseRowsBefore.isEmpty(), "the response was stored in PostgreSQL");
        assertFalse(conversationRowsBefore.isEmpty(), "the conversation was stored in PostgreSQL");
        assertFalse(responseKeysBefore.isEmpty(), "the response was in the Redis hot cache: "
                + MemoryStores.redisKeys(started, tenantA));
        assertFalse(conversationKeysBefore.isEmpty(), "the conversation was in the Redis hot cache");
    }

    @Test
    @Order(14)
    void theLedgerRowNamesTheEndpointTheResponseAndTheConversation() {
        HttpResponseFor<Response> plain = a.responses().withRawResponse().create(ResponseCreateParams.builder()
                .model("sim-gpt").input("bill me " + marker()).build());
        Response response = plain.parse();
        JsonPath row = LedgerRows.awaitRow(started, plain.headers().values("x-request-id").get(0));
        assertEquals("responses", row.getString("endpoint"));
        assertEquals(response.id(), row.getString("response_id"));

        Conversation conversation = a.conversations().create(ConversationCreateParams.builder().build());
        HttpResponseFor<Response> inConversation = a.responses().withRawResponse().create(ResponseCreateParams
                .builder().model("sim-claude").input("bill us " + marker()).conversation(conversation.id()).build());
        JsonPath conversationRow = LedgerRows.awaitRow(started, inConversation.headers().values("x-request-id").get(0));
        assertEquals("responses", conversationRow.getString("endpoint"));
        assertEquals(inConversation.parse().id(), conversationRow.getString("response_id"));
        assertEquals(conversation.id(), conversationRow.getString("conversation_id"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Restarts and outages, last

    @Test
    @Order(21)
    void restartingTheOrchestratorAndRedisLosesNothingStored() {
        String marker = marker();
        String one = "survive one " + marker;
        Response first = a.responses().create(ResponseCreateParams.builder().model("sim-gpt").input(one).build());
        Conversation conversation = a.conversations().create(ConversationCreateParams.builder()
                .addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("kept " + marker).build())
                .build());

        suite.stop("orchestrator-service");
        suite.start("orchestrator-service");
        Response firstAgain = await().atMost(RECOVERY).ignoreExceptions()
                .until(() -> a.responses().retrieve(first.id()), r -> true);
        assertEquals(outputText(first), outputText(firstAgain));
        String two = "survive two " + marker;
        Response second = a.responses().create(ResponseCreateParams.builder().model("sim-gpt").input(two)
                .previousResponseId(first.id()).build());
        assertSentWithHistory(two, List.of(one, outputText(first)));
        assertEquals(List.of("kept " + marker), conversationTexts(conversation.id()));

        suite.stop("redis");
        suite.start("redis");
        Response secondAgain = await().atMost(RECOVERY).ignoreExceptions()
                .until(() -> a.responses().retrieve(second.id()), r -> true);
        assertEquals(outputText(second), outputText(secondAgain));
        String three = "survive three " + marker;
        a.responses().create(ResponseCreateParams.builder().model("sim-gpt").input(three)
                .previousResponseId(second.id()).build());
        assertSentWithHistory(three, List.of(one, outputText(first), two, outputText(second)));
        assertEquals(List.of("kept " + marker), conversationTexts(conversation.id()));
    }

    /**
     * Runs before Redis is restarted: once Redis is back, the gateway drops every cached key grant (it may have missed
     * invalidations), and a key it must then verify while PostgreSQL (hence quota-service) is down gets a 503
     * auth_unavailable, which is not what this test is about.
     */
    @Test
    @Order(20)
    void withPostgresDownUnstoredRequestsWorkAndStoredOnesGetA503UntilItIsBack() {
        Response before = a.responses().create(ResponseCreateParams.builder().model("sim-gpt")
                .input("before the outage " + marker()).build());
        suite.stop("postgres");
        try {
            Response unstored = a.responses().create(ResponseCreateParams.builder().model("sim-gpt")
                    .input("no memory needed " + marker()).store(false).build());
            assertEquals("completed", unstored.status().orElseThrow().asString());
            assertFalse(outputText(unstored).isBlank());

            OpenAIServiceException refused = assertThrows(OpenAIServiceException.class, () -> a.responses()
                    .create(ResponseCreateParams.builder().model("sim-gpt").input("remember " + marker()).build()));
            assertEquals(503, refused.statusCode(), String.valueOf(refused.body()));
            assertEquals("memory_unavailable", refused.code().orElse(null), String.valueOf(refused.body()));
            assertFalse(refused.headers().values("retry-after").isEmpty(), "a 503 says when to retry");
        } finally {
            suite.start("postgres");
        }
        Response after = await().atMost(RECOVERY).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> a.responses().create(ResponseCreateParams.builder().model("sim-gpt")
                        .input("after the outage " + marker()).previousResponseId(before.id()).build()), r -> true);
        assertEquals(before.id(), after.previousResponseId().orElseThrow());
        assertEquals(outputText(after), outputText(a.responses().retrieve(after.id())));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String marker() {
        return "m" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The text of the output message(s), as the SDKs' output_text. */
    static String outputText(Response response) {
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            if (item.isMessage()) {
                for (ResponseOutputMessage.Content content : item.asMessage().content()) {
                    if (content.isOutputText()) {
                        text.append(content.asOutputText().text());
                    }
                }
            }
        }
        return text.toString();
    }

    /** The text parts of an item (message) in its wire form, joined. */
    private static String itemText(JsonNode item) {
        JsonNode content = item.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        return StreamSupport.stream(content.spliterator(), false).map(part -> part.path("text").asText(""))
                .collect(Collectors.joining());
    }

    private static List<String> pageTexts(InputItemListPage page) {
        return page.data().stream().map(item -> itemText(SDK_JSON.valueToTree(item))).toList();
    }

    private static String lastId(InputItemListPage page) {
        List<?> data = page.data();
        return ((JsonNode) SDK_JSON.valueToTree(data.get(data.size() - 1))).path("id").asText();
    }

    private static List<String> conversationTexts(String conversationId) {
        return a.conversations().items().list(conversationId, ItemListParams.builder()
                .order(ItemListParams.Order.ASC).build()).data().stream()
                .map(item -> itemText(SDK_JSON.valueToTree(item))).toList();
    }

    /** The provider request that carried {@code input} also carried each of {@code history}. */
    private static void assertSentWithHistory(String input, List<String> history) {
        SimProbe.Received sent = sim.lastContaining(input)
                .orElseThrow(() -> new AssertionError("no provider request carried '" + input + "'"));
        String body = sent.json().toString();
        for (String earlier : history) {
            assertFalse(earlier.isBlank());
            assertTrue(body.contains(earlier), "the request to " + sent.path() + " lacks '" + earlier + "': " + body);
        }
    }

    private static void assertInOrder(List<String> types, String... expected) {
        int at = -1;
        for (String type : expected) {
            int found = types.subList(at + 1, types.size()).indexOf(type);
            if (found < 0) {
                fail(type + " missing or out of order in " + types);
            }
            at += found + 1;
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return SDK_JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String json(Object sdkObject) {
        return SDK_JSON.valueToTree(sdkObject).toString();
    }
}
