package io.sluice.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.rest.ApiException;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.vertx.core.buffer.Buffer;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RequestValidatorsTest {

    @Inject
    ChatRequestValidator chat;

    @Inject
    EmbeddingsRequestValidator embeddings;

    @Test
    void chatReservesThePromptEstimatePlusMaxTokensForEachChoice() {
        InferenceRequest request = chat.validate(Buffer.buffer("""
                {"model":"sim-gpt","max_tokens":50,"n":2,"stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hello world"}]}"""));
        assertEquals("sim-gpt", request.model());
        assertTrue(request.stream());
        assertTrue(request.clientWantsUsage());
        // "Hello world" is 2 cl100k tokens, plus 4 for the message and 3 for the reply.
        assertEquals(9, request.estimate().inputTokens());
        assertEquals(100, request.estimate().outputTokens());
    }

    @Test
    void chatAndEmbeddingsForwardTheClientsOwnBytes() {
        // Fields and number spellings Sluice does not know reach the provider exactly as the client wrote them.
        Buffer chatBody = Buffer.buffer("""
                {"model": "m", "temperature": 1.0E-1, "vendor_extension": {"keep":  [1, 2]},
                 "messages": [{"role": "user", "content": "hi"}]}""");
        assertEquals(chatBody, chat.validate(chatBody).body());
        Buffer embeddingsBody = Buffer.buffer("{ \"model\" : \"e\", \"input\" : \"hi\", \"dimensions\" : 8 }");
        assertEquals(embeddingsBody, embeddings.validate(embeddingsBody).body());
    }

    @Test
    void chatWithoutMaxTokensReservesTheConfiguredDefault() {
        InferenceRequest request = chat.validate(Buffer.buffer(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals(1024, request.estimate().outputTokens());
        assertFalse(request.clientWantsUsage());
    }

    @Test
    void chatBoundsAreEnforcedWithTheOffendingParameterNamed() {
        assertParam("max_tokens", chat, "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("max_tokens", chat, "{\"model\":\"m\",\"max_tokens\":999999999,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("max_tokens", chat, "{\"model\":\"m\",\"max_tokens\":\"9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("n", chat, "{\"model\":\"m\",\"n\":9,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("messages[0]", chat, "{\"model\":\"m\",\"messages\":[\"hello\"]}");
        assertParam("messages[0].content", chat,
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(262_145) + "\"}]}");
        assertParam("model", chat, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("messages", chat, "{\"model\":\"m\",\"messages\":{}}");
        assertParam("stream", chat, "{\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    }

    @Test
    void embeddingsNeedANonEmptyInputAndEstimateItsTokens() {
        InferenceRequest request = embeddings.validate(Buffer.buffer(
                "{\"model\":\"sim-embed\",\"input\":[\"Hello world\",\"Hello\"]}"));
        assertEquals(3, request.estimate().inputTokens());
        assertEquals(0, request.estimate().outputTokens());
        assertParam("input", embeddings, "{\"model\":\"sim-embed\",\"input\":[]}");
        assertParam("input", embeddings, "{\"model\":\"sim-embed\"}");
    }

    private static void assertParam(String param, InferenceRequestValidator validator, String body) {
        ApiException refused = assertThrows(ApiException.class, () -> validator.validate(Buffer.buffer(body)));
        assertEquals(400, refused.status());
        assertEquals(param, refused.error().error().param());
    }
}
