package io.sluice.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class ChatCompletionStreamTest {
    private static final String STREAM = """
            : sluice-usage prompt=9

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":"}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"x\\"}"}}]},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"gpt-x","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}

            data: [DONE]

            """;

    @Test
    void aCompleteStreamBecomesTheWholeAnswer() {
        JsonObject whole = ChatCompletionStream.assemble(Buffer.buffer(STREAM)).orElseThrow();
        assertEquals(new JsonObject("""
                {"id":"chatcmpl-1","object":"chat.completion","created":7,"model":"gpt-x",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello","tool_calls":[
                   {"id":"call_1","type":"function","function":{"arguments":"{\\"q\\":\\"x\\"}","name":"lookup"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"""), whole);
    }

    @Test
    void aReplayedAnswerAssemblesToItself() {
        JsonObject whole = ChatCompletionStream.assemble(Buffer.buffer(STREAM)).orElseThrow();
        Buffer replayed = ChatCompletionStream.replay(whole, true);
        assertTrue(replayed.toString().endsWith("data: [DONE]\n\n"));
        assertEquals(whole, ChatCompletionStream.assemble(replayed).orElseThrow());
    }

    @Test
    void theUsageChunkIsReplayedOnlyWhenAskedFor() {
        JsonObject whole = ChatCompletionStream.assemble(Buffer.buffer(STREAM)).orElseThrow();
        assertFalse(ChatCompletionStream.replay(whole, false).toString().contains("\"usage\""));
        assertTrue(ChatCompletionStream.replay(whole, true).toString().contains("\"usage\""));
    }

    @Test
    void anIncompleteOrFailedStreamIsNotAnAnswer() {
        String cut = STREAM.substring(0, STREAM.indexOf("data: [DONE]"));
        assertTrue(ChatCompletionStream.assemble(Buffer.buffer(cut)).isEmpty(), "no [DONE]");
        String withoutUsage = STREAM.replaceAll("(?m)^data: \\{[^\\n]*\"usage\"[^\\n]*$", "");
        assertTrue(ChatCompletionStream.assemble(Buffer.buffer(withoutUsage)).isEmpty(), "no usage");
        String failed = STREAM.replace("data: [DONE]", "data: {\"error\":{\"message\":\"boom\"}}\n\ndata: [DONE]");
        assertTrue(ChatCompletionStream.assemble(Buffer.buffer(failed)).isEmpty(), "an error event");
    }
}
