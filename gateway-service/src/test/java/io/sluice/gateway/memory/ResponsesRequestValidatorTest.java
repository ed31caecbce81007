package io.sluice.gateway.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.service.InferenceRequest;
import io.vertx.core.buffer.Buffer;
import io.sluice.contracts.memory.HistoryReference;

class ResponsesRequestValidatorTest {
    private final ResponsesRequestValidator validator = new ResponsesRequestValidator(DefaultConfigs.limits(),
            DefaultConfigs.quota(), new PromptTokenEstimator());

    @Test
    void aStringInputReservesItsTokensAndTheDefaultOutputWhichCapsTheCall() {
        Buffer body = Buffer.buffer("{\"model\":\"sim-gpt\",\"input\":\"Hello world\",\"stream\":true}");
        InferenceRequest request = validator.validate(body);
        assertSame(body, request.body(), "the client's own bytes are forwarded");
        assertEquals("sim-gpt", request.model());
        assertTrue(request.stream());
        // "Hello world" is 2 cl100k tokens, plus 4 for the message and 3 for the reply.
        assertEquals(9, request.estimate().inputTokens());
        assertEquals(4096, request.estimate().outputTokens());
        assertEquals(4096, request.outputCap());
        assertNull(request.history());
    }

    @Test
    void itemsInstructionsAndToolsAllCountAndMaxOutputTokensIsReservedAsGiven() {
        InferenceRequest plain = validator.validate(Buffer.buffer("""
                {"model":"m","input":[{"role":"user","content":"Hello world"}],"max_output_tokens":50}"""));
        InferenceRequest full = validator.validate(Buffer.buffer("""
                {"model":"m","max_output_tokens":50,"instructions":"Be brief.",
                 "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello world"},
                           {"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
                          {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{}"},
                          {"type":"function_call_output","call_id":"call_1","output":"sunny"}],
                 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}],
                 "tool_choice":{"type":"function","name":"get_weather"},"temperature":0.5,"top_p":1,
                 "metadata":{"k":"v"},"store":false,"truncation":"disabled","parallel_tool_calls":true}"""));
        assertEquals(9, plain.estimate().inputTokens());
        assertEquals(50, plain.estimate().outputTokens());
        assertNull(plain.outputCap(), "the request bounds itself");
        assertTrue(full.estimate().inputTokens() > plain.estimate().inputTokens() + 2 * 4 + 3,
                "instructions, two more items and the tools: " + full.estimate().inputTokens());
    }

    @Test
    void theHistoryIsNamedByPreviousResponseOrConversationEitherSpelling() {
        assertEquals(new HistoryReference("previous_response_id", "resp_abc123"), validator.validate(Buffer.buffer(
                "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_abc123\"}")).history());
        assertEquals(new HistoryReference("conversation", "conv_X9"), validator.validate(Buffer.buffer(
                "{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_X9\"}")).history());
        assertEquals(new HistoryReference("conversation", "conv_X9"), validator.validate(Buffer.buffer(
                "{\"model\":\"m\",\"input\":\"x\",\"conversation\":{\"id\":\"conv_X9\"}}")).history());
        assertEquals("previous_response_id=resp_abc123",
                new HistoryReference("previous_response_id", "resp_abc123").query());
    }

    @Test
    void aMissingHistoryIsOpenAisNotFoundNamingTheField() {
        ApiException notFound = new HistoryReference("previous_response_id", "resp_x").notFound();
        assertEquals(404, notFound.status());
        assertEquals("Previous response with id 'resp_x' not found.", notFound.error().error().message());
        assertEquals("invalid_request_error", notFound.error().error().type());
        assertEquals("previous_response_id", notFound.error().error().param());
    }

    /** Every bad field: a 400 naming it, nothing else thrown. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "model|{\"input\":\"x\"}",
            "input|{\"model\":\"m\"}",
            "input|{\"model\":\"m\",\"input\":5}",
            "input|{\"model\":\"m\",\"input\":[]}",
            "input[0]|{\"model\":\"m\",\"input\":[\"x\"]}",
            "input[0].type|{\"model\":\"m\",\"input\":[{\"type\":\"web_search_call\"}]}",
            "input[0].role|{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
            "input[0].content|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":7}]}",
            "input[0].content|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[]}]}",
            "input[0].content[0].type|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}",
            "input[0].content[0].text|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}",
            "input[0].content[0].image_url|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]}",
            "input[0].content[0].detail|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"u\",\"detail\":\"max\"}]}]}",
            "input[0].id|{\"model\":\"m\",\"input\":[{\"type\":\"message\",\"id\":\"fc_1\",\"role\":\"user\",\"content\":\"x\"}]}",
            "input[0].status|{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"x\",\"status\":\"odd\"}]}",
            "input[0].call_id|{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}",
            "input[0].call_id|{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"\",\"name\":\"f\",\"arguments\":\"{}\"}]}",
            "input[0].name|{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"a b\",\"arguments\":\"{}\"}]}",
            "input[0].arguments|{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":{}}]}",
            "input[0].output|{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\"}]}",
            "input[0].id|{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"id\":\"fco_-\",\"call_id\":\"c\",\"output\":\"o\"}]}",
            "instructions|{\"model\":\"m\",\"input\":\"x\",\"instructions\":[]}",
            "tools|{\"model\":\"m\",\"input\":\"x\",\"tools\":{}}",
            "tools[0].type|{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}",
            "tools[0].name|{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\"}]}",
            "tools[0].parameters|{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":1}]}",
            "tool_choice|{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":\"any\"}",
            "tool_choice.type|{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"file_search\"}}",
            "tool_choice.name|{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"function\"}}",
            "temperature|{\"model\":\"m\",\"input\":\"x\",\"temperature\":2.5}",
            "top_p|{\"model\":\"m\",\"input\":\"x\",\"top_p\":-0.1}",
            "max_output_tokens|{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":0}",
            "max_output_tokens|{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":999999999}",
            "metadata|{\"model\":\"m\",\"input\":\"x\",\"metadata\":[]}",
            "metadata|{\"model\":\"m\",\"input\":\"x\",\"metadata\":{\"k\":1}}",
            "previous_response_id|{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_a-b\"}",
            "previous_response_id|{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"conv_ab\"}",
            "conversation|{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"resp_ab\"}",
            "conversation.id|{\"model\":\"m\",\"input\":\"x\",\"conversation\":{\"id\":\"conv_\"}}",
            "conversation|{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_a\",\"previous_response_id\":\"resp_a\"}",
            "store|{\"model\":\"m\",\"input\":\"x\",\"store\":\"yes\"}",
            "truncation|{\"model\":\"m\",\"input\":\"x\",\"truncation\":\"middle\"}",
            "stream|{\"model\":\"m\",\"input\":\"x\",\"stream\":1}",
            "background|{\"model\":\"m\",\"input\":\"x\",\"background\":true}",
            "parallel_tool_calls|{\"model\":\"m\",\"input\":\"x\",\"parallel_tool_calls\":\"no\"}",
            "user|{\"model\":\"m\",\"input\":\"x\",\"user\":5}" })
    void everyBadFieldIsA400NamingIt(String param, String body) {
        ApiException refused = assertThrows(ApiException.class, () -> validator.validate(Buffer.buffer(body)));
        assertEquals(400, refused.status());
        assertEquals(param, refused.error().error().param());
    }

    @Test
    void lengthsAndCountsAreBounded() {
        String longText = "x".repeat(262_145);
        assertParam("input", "{\"model\":\"m\",\"input\":\"" + longText + "\"}");
        assertParam("instructions", "{\"model\":\"m\",\"input\":\"x\",\"instructions\":\"" + longText + "\"}");
        assertParam("input[0].content", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"" + longText + "\"}]}]}");
        assertParam("input", "{\"model\":\"m\",\"input\":[" + "{\"role\":\"user\",\"content\":\"x\"},".repeat(1000)
                + "{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("tools", "{\"model\":\"m\",\"input\":\"x\",\"tools\":["
                + "{\"type\":\"function\",\"name\":\"f\"},".repeat(128) + "{\"type\":\"function\",\"name\":\"f\"}]}");
        assertParam("previous_response_id", "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_"
                + "a".repeat(65) + "\"}");
    }

    @Test
    void metadataIsBoundedAsOpenAiBoundsIt() {
        StringBuilder seventeen = new StringBuilder("{");
        for (int i = 0; i < 17; i++) {
            seventeen.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertParam("metadata", "{\"model\":\"m\",\"input\":\"x\",\"metadata\":" + seventeen + "}}");
        assertParam("metadata", "{\"model\":\"m\",\"input\":\"x\",\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}");
        assertParam("metadata", "{\"model\":\"m\",\"input\":\"x\",\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}");
        assertFalse(validator.validate(Buffer.buffer("{\"model\":\"m\",\"input\":\"x\",\"metadata\":{\""
                + "k".repeat(64) + "\":\"" + "v".repeat(512) + "\"}}")).stream());
    }

    private void assertParam(String param, String body) {
        ApiException refused = assertThrows(ApiException.class, () -> validator.validate(Buffer.buffer(body)));
        assertEquals(400, refused.status());
        assertEquals(param, refused.error().error().param());
    }
}
