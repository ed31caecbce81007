package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class RelayedAnswerUsageTest {

    /** The streaming read gives what a JSON tree would, without building one. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":1}\"}}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                    + "\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":4}}}",
            "{\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":9},\"data\":[[1,2,[3]],{\"usage\":{\"prompt_tokens\":99}}]}",
            "{\"object\":\"list\",\"data\":[{\"embedding\":[0.1,-0.2,3e-5]}],\"usage\":{\"prompt_tokens\":7.9}}",
            "{\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":null,\"prompt_tokens_details\":7}}",
            "{\"usage\":{\"prompt_tokens\":3},\"usage\":{\"completion_tokens\":4}}",
            "{\"usage\":[1,2]}",
            "{}" })
    void readsTheSameCountsAsTheTree(String answer) {
        assertEquals(TokenUsage.ofAnswer(new JsonObject(answer)), RelayedAnswerUsage.of(Buffer.buffer(answer)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "[{\"usage\":{}}]", "\"text\"", "{\"usage\":{\"prompt_tokens\":1}", "{\"a\":1} {}",
            "{\"data\":[1,2,}", "<html>bad gateway</html>", "{\"a\":tru}" })
    void anythingButOneWellFormedObjectIsRefused(String answer) {
        assertThrows(RuntimeException.class, () -> RelayedAnswerUsage.of(Buffer.buffer(answer)));
    }
}
