package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class OpenAiChunkWriterTest {

    @Test
    void aContentChunkFromTheTemplateIsTheJsonAClientExpectsForAnyText() {
        String text = "quote \" backslash \\ newline \n tab \t bell \u0007 slash / Grüße 世界 😀";
        OpenAiChunkWriter writer = new OpenAiChunkWriter("model \"x\"");
        writer.id("msg_\"01\"");
        Buffer out = Buffer.buffer();
        writer.role(out);
        int roleEnd = out.length();

        writer.content(out, text);

        String frame = out.getString(roleEnd, out.length(), StandardCharsets.UTF_8.name());
        JsonObject role = new JsonObject(out.getString(6, roleEnd - 2));
        JsonObject expected = new JsonObject().put("id", "msg_\"01\"").put("object", "chat.completion.chunk")
                .put("created", role.getLong("created")).put("model", "model \"x\"")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("content", text)).put("logprobs", null)
                        .put("finish_reason", null)));
        // Byte for byte what encoding the JsonObject gives, so clients see no difference between chunk kinds.
        assertEquals("data: " + expected.encode() + "\n\n", frame);
        assertEquals(text, new JsonObject(frame.substring(6).strip()).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content"));
    }
}
