package io.sluice.gateway.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.rest.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

class MemoryApiRequestsTest {

    @Test
    void aListsQueryIsRebuiltFromItsValidParametersOnly() {
        assertEquals("", MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap()));
        assertEquals("?limit=5&order=asc&after=msg_a1", MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap()
                .add("include", "message.output_text.logprobs").add("limit", "5").add("order", "asc")
                .add("after", "msg_a1").add("other", "x")));
        assertParam("limit", () -> MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap().add("limit", "0")));
        assertParam("limit", () -> MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap().add("limit", "101")));
        assertParam("limit", () -> MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap().add("limit", "x")));
        assertParam("order", () -> MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap().add("order", "up")));
        assertParam("after", () -> MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap().add("after", "a&b")));
        assertParam("limit", () -> MemoryApiRequests.listQuery(MultiMap.caseInsensitiveMultiMap().add("limit", "1")
                .add("limit", "2")));
    }

    @Test
    void pathIdsAreOfTheirKind() {
        assertEquals("resp_1", MemoryApiRequests.responseId("resp_1"));
        assertParam("response_id", () -> MemoryApiRequests.responseId("conv_1"));
        assertParam("conversation_id", () -> MemoryApiRequests.conversationId("conv_1%2F.."));
        assertParam("item_id", () -> MemoryApiRequests.itemId("resp_1"));
        assertEquals("fco_Z", MemoryApiRequests.itemId("fco_Z"));
    }

    @Test
    void writesAreCheckedAsResponsesAreAndForwardedAsSent() {
        assertEquals("{}", MemoryApiRequests.newConversation(Buffer.buffer(), DefaultConfigs.limits()).toString());
        Buffer create = Buffer.buffer("{\"items\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"a\":\"b\"}}");
        assertEquals(create, MemoryApiRequests.newConversation(create, DefaultConfigs.limits()));
        assertParam("items[0].role", () -> MemoryApiRequests.newConversation(
                Buffer.buffer("{\"items\":[{\"role\":\"robot\",\"content\":\"hi\"}]}"), DefaultConfigs.limits()));
        assertParam("metadata", () -> MemoryApiRequests.newConversation(
                Buffer.buffer("{\"metadata\":{\"a\":[]}}"), DefaultConfigs.limits()));
        assertParam(null, () -> MemoryApiRequests.newConversation(Buffer.buffer("[]"), DefaultConfigs.limits()));
        assertParam("metadata", () -> MemoryApiRequests.conversationUpdate(Buffer.buffer("{}")));
        assertParam("items", () -> MemoryApiRequests.newItems(Buffer.buffer("{}"), DefaultConfigs.limits()));
        assertParam("items", () -> MemoryApiRequests.newItems(Buffer.buffer("{\"items\":[]}"), DefaultConfigs.limits()));
    }

    private static void assertParam(String param, Runnable call) {
        ApiException refused = assertThrows(ApiException.class, call::run);
        assertEquals(400, refused.status());
        assertEquals(param, refused.error().error().param());
    }
}
