package io.sluice.orchestrator.responses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.catalog.ModelRoute;
import io.sluice.orchestrator.config.UpstreamLimitsConfig;
import io.sluice.orchestrator.conversation.ConversationStore;
import io.sluice.orchestrator.conversation.ItemTokens;
import io.sluice.orchestrator.conversation.MemoryErrors;
import io.sluice.orchestrator.conversation.MemoryIds;
import io.sluice.orchestrator.conversation.MemoryItem;
import io.sluice.orchestrator.conversation.MemoryUnavailableException;
import io.sluice.orchestrator.conversation.StoredResponse;
import io.sluice.orchestrator.rest.MemoryScope;
import io.sluice.orchestrator.service.RelayedRequest;
import io.sluice.orchestrator.service.UpstreamAnswer;
import io.sluice.orchestrator.service.UpstreamProxy;
import io.sluice.orchestrator.service.UpstreamProxy.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.sluice.contracts.memory.HistoryReference;

/**
 * One turn of the Responses API ({@code POST /v1/responses}), stage by stage:
 * <ol>
 * <li>{@link #read}: parse and validate the request, resolve its alias within the key's allow-list;</li>
 * <li>{@link #recall}: load the history it continues, a previous response's context or a conversation's items
 * (as the gateway's sizing of the same request read it, else Redis first, PostgreSQL when cold:
 * {@link HistoryRecall});</li>
 * <li>{@link #fit}: keep what fits the alias's context window ({@code truncation});</li>
 * <li>{@link #call}: route the equivalent chat completion through the catalogue, with the fault tolerance and
 * fallbacks of every chat call;</li>
 * <li>answer: translate the chat answer into a Response object ({@link #answerWhole}) or Responses events
 * ({@link ResponseStreamRelay});</li>
 * <li>{@link #remember}: store the response and append its items to its conversation, before the client sees it
 * completed, so a next turn chained on it always finds it.</li>
 * </ol>
 * Every turn ends exactly once: with an OpenAI error while nothing was sent, else with {@code response.completed}
 * or {@code response.failed}. Nothing half-written is stored as complete.
 */
@ApplicationScoped
public class ResponseTurn {
    private final ModelCatalog catalog;
    private final UpstreamProxy proxy;
    private final ConversationStore store;
    private final HistoryRecall recall;
    private final Clock clock;
    private final Vertx vertx;
    private final int maxSseEventBytes;

    public ResponseTurn(ModelCatalog catalog, UpstreamProxy proxy, ConversationStore store, HistoryRecall recall,
            Clock clock, Vertx vertx, UpstreamLimitsConfig limits) {
        this.catalog = catalog;
        this.proxy = proxy;
        this.store = store;
        this.recall = recall;
        this.clock = clock;
        this.vertx = vertx;
        this.maxSseEventBytes = limits.maxSseEventBytes();
    }

    /** What one turn knows once its request is read. */
    record Turn(MemoryScope scope, RelayedRequest relayed, ResponsesRequest request, ModelRoute route,
            String requestId, int bodyBytes) {
    }

    public void serve(RoutingContext ctx) {
        HttpServerResponse out = ctx.response();
        Turn turn;
        try {
            turn = read(ctx);
        } catch (InvalidRequestException invalid) {
            ApiErrorResponses.send(out, 400, invalid.error());
            return;
        } catch (ApiException refused) {
            ApiErrorResponses.send(out, refused.status(), refused.error());
            return;
        }
        // The stores' reactive sessions need a duplicated context; a raw route runs on the event loop's own.
        VertxContext.getOrCreateDuplicatedContext(vertx).runOnContext(v -> run(turn, out));
    }

    private void run(Turn turn, HttpServerResponse out) {
        recall(turn)
                .map(history -> new Recalled(history, fit(turn, history)))
                .chain(recalled -> call(turn, recalled)
                        .chain(answer -> answer(turn, recalled.history(), answer, out)))
                .subscribe().with(done -> {
                }, failure -> failBeforeAnswer(failure, out));
    }

    /** The history the turn continues (all of it) and the part of it sent to the model. */
    record Recalled(List<MemoryItem> history, List<MemoryItem> sent) {
    }

    Turn read(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw new ApiException(400, ApiError.invalidRequest("invalid_json", null, "Request body is not valid JSON."));
        }
        if (body == null) {
            throw new ApiException(400,
                    ApiError.invalidRequest("invalid_json", null, "Request body must be a JSON object."));
        }
        MemoryScope scope = MemoryScope.of(ctx.request().headers());
        RelayedRequest relayed = RelayedRequest.of(ctx.request().headers());
        ResponsesRequest request = ResponsesRequest.parse(body);
        if (!relayed.allows(request.model())) {
            throw new ApiException(403, ApiError.of("invalid_request_error", "model_not_allowed",
                    "This API key may not use the model '" + request.model() + "'."));
        }
        ModelRoute route = catalog.resolve(request.model());
        return new Turn(scope, relayed, request, route, ctx.request().getHeader("x-request-id"), ctx.body().length());
    }

    Uni<List<MemoryItem>> recall(Turn turn) {
        ResponsesRequest request = turn.request();
        HistoryReference reference = HistoryReference.of(request.previousResponseId(),
                request.conversationId());
        if (reference == null) {
            return Uni.createFrom().item(List.of());
        }
        return recall.forTurn(turn.scope().tenant(), turn.requestId(), reference);
    }

    List<MemoryItem> fit(Turn turn, List<MemoryItem> history) {
        ResponsesRequest request = turn.request();
        int maxOutput = request.maxOutputTokens() != null ? request.maxOutputTokens()
                : turn.relayed().maxOutputTokens().orElse(0);
        return ContextWindow.fit(history, newTokens(request), maxOutput, turn.route().contextWindow(),
                request.truncation());
    }

    /** The tokens the request adds to its history: its input items, its instructions and tools (never pruned). */
    static int newTokens(ResponsesRequest request) {
        int tokens = 0;
        for (JsonObject item : request.input()) {
            tokens += ItemTokens.estimate(item);
        }
        if (request.instructions() != null) {
            tokens += request.instructions().length() / 4 + 4;
        }
        if (request.tools() != null) {
            tokens += request.tools().encode().length() / 4;
        }
        return tokens;
    }

    Uni<UpstreamAnswer> call(Turn turn, Recalled recalled) {
        List<JsonObject> sent = recalled.sent().stream().map(MemoryItem::item).toList();
        JsonObject chat = ResponsesToChatCompletions.chatRequest(turn.request(), sent);
        int historyBytes = recalled.sent().stream().mapToInt(item -> item.tokens() * 4).sum();
        return proxy.route(turn.route(), Endpoint.CHAT, chat, turn.bodyBytes() + historyBytes, turn.relayed(),
                turn.requestId());
    }

    private Uni<Void> answer(Turn turn, List<MemoryItem> history, UpstreamAnswer answer, HttpServerResponse out) {
        ResponseDraft draft = new ResponseDraft(MemoryIds.response(), clock.instant().getEpochSecond(),
                turn.request(), turn.request().conversationId());
        if (out.closed()) {
            answer.exchange().cancel();
            return Uni.createFrom().voidItem();
        }
        out.putHeader(RelayHeaders.PROVIDER, answer.deployment().providerLabel())
                .putHeader(RelayHeaders.DEPLOYMENT, answer.deployment().name())
                .putHeader(RelayHeaders.MODEL, answer.deployment().alias())
                .putHeader(RelayHeaders.RESPONSE_ID, draft.id());
        if (draft.conversationId() != null) {
            out.putHeader(RelayHeaders.CONVERSATION_ID, draft.conversationId());
        }
        if (!answer.streaming()) {
            return answerWhole(turn, history, draft, answer, out);
        }
        new ResponseStreamRelay(out, answer, proxy.chatStream(answer.deployment()),
                new ChatChunksToResponseEvents(draft), maxSseEventBytes,
                response -> remember(turn, history, response)).start();
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> answerWhole(Turn turn, List<MemoryItem> history, ResponseDraft draft, UpstreamAnswer answer,
            HttpServerResponse out) {
        JsonObject response = ChatCompletionToResponse.response(draft, answer.complete().body().toJsonObject());
        out.putHeader(RelayHeaders.USAGE, answer.complete().usage().headerValue());
        return remember(turn, history, response).invoke(() -> {
            if (!out.ended() && !out.closed()) {
                out.setStatusCode(200).putHeader("content-type", "application/json").end(response.toBuffer());
            }
        });
    }

    /**
     * Stores what the turn added: the response (unless {@code store: false}) with its context, the history it
     * continued plus its input and output, pruned to the tenant's last {@code maxItems}; and, for a turn in a
     * conversation, its input and output items appended to the conversation (pruned the same way).
     */
    Uni<Void> remember(Turn turn, List<MemoryItem> history, JsonObject response) {
        ResponsesRequest request = turn.request();
        List<JsonObject> added = new ArrayList<>();
        request.input().forEach(item -> added.add(withId(item)));
        response.getJsonArray("output").forEach(item -> added.add((JsonObject) item));
        List<MemoryItem> addedItems = added.stream()
                .map(item -> new MemoryItem(item.getString("id"), item, ItemTokens.estimate(item))).toList();
        Uni<Void> stored = Uni.createFrom().voidItem();
        if (request.store()) {
            int inputs = request.input().size();
            List<MemoryItem> context = new ArrayList<>(history);
            context.addAll(addedItems);
            int maxItems = turn.scope().policy().maxItems();
            List<MemoryItem> kept = List.copyOf(context.subList(Math.max(0, context.size() - maxItems), context.size()));
            Instant now = clock.instant();
            stored = store.saveResponse(new StoredResponse(turn.scope().tenant(),
                    response.getString("id"), response, List.copyOf(addedItems.subList(0, inputs)), kept,
                    request.conversationId(), now,
                    now.plus(Duration.ofDays(turn.scope().policy().retentionDays()))),
                    turn.scope().policy());
        }
        if (request.conversationId() == null) {
            return stored;
        }
        // Different rows and keys: the two writes run side by side, the answer waits for both
        Uni<Void> appended = store.appendItems(turn.scope().tenant(), request.conversationId(), added,
                turn.scope().policy()).replaceWithVoid();
        return Uni.combine().all().unis(stored, appended).discardItems();
    }

    private static void failBeforeAnswer(Throwable failure, HttpServerResponse out) {
        if (out.ended() || out.closed()) {
            return;
        }
        if (failure instanceof InvalidRequestException invalid) {
            ApiErrorResponses.send(out, 400, invalid.error());
        } else if (failure instanceof ApiException refused) {
            ApiErrorResponses.send(out, refused.status(), refused.error());
        } else if (failure instanceof MemoryUnavailableException) {
            out.putHeader("retry-after", MemoryErrors.RETRY_AFTER_SECONDS);
            ApiErrorResponses.send(out, 503, MemoryErrors.UNAVAILABLE);
        } else if (out.headWritten()) {
            Log.warn("a response turn failed after its answer started", failure);
            out.reset();
        } else {
            UpstreamProxy.fail(failure, out);
        }
    }

    /** An input item as stored: with an id of its kind when the client gave none. */
    static JsonObject withId(JsonObject item) {
        return item.getString("id") != null ? item : item.copy().put("id", MemoryIds.forItem(item));
    }

}
