package io.sluice.contracts.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exact names the orchestrator writes and the gateway reads: a change here is a change of both. */
class MemoryKeysTest {
    @Test
    void everyKeyCarriesTheTenantsHashTag() {
        assertEquals("sluice:mem:{t1}:resp:resp_1", MemoryKeys.response("t1", "resp_1"));
        assertEquals("sluice:mem:{t1}:resp:resp_1:tokens", MemoryKeys.responseTokens("t1", "resp_1"));
        assertEquals("sluice:mem:{t1}:conv:conv_1", MemoryKeys.conversation("t1", "conv_1"));
        assertEquals("sluice:mem:{t1}:conv:conv_1:items", MemoryKeys.items("t1", "conv_1"));
        assertEquals("sluice:mem:{t1}:conv:conv_1:tokens", MemoryKeys.itemTokens("t1", "conv_1"));
        assertEquals("sluice:mem:{t1}:conv:conv_1:seq", MemoryKeys.mark("t1", "conv_1"));
    }

    @Test
    void aReferenceNamesItsFieldAndIsOpenAisNotFound() {
        HistoryReference response = HistoryReference.of("resp_1", "conv_1");
        assertEquals(HistoryReference.PREVIOUS_RESPONSE, response.param());
        assertEquals("previous_response_id=resp_1", response.query());
        assertEquals(404, response.notFound().status());
        assertEquals("Previous response with id 'resp_1' not found.", response.notFound().error().error().message());
        HistoryReference conversation = HistoryReference.of(null, "conv_1");
        assertEquals("conversation", conversation.notFound().error().error().param());
        assertEquals("Conversation with id 'conv_1' not found.", conversation.notFound().error().error().message());
        assertEquals(null, HistoryReference.of(null, null));
    }
}
