package io.sluice.orchestrator.conversation;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.vertx.core.json.JsonObject;

/** Ids of stored objects, OpenAI-style: a kind prefix and 32 lowercase hex characters from SecureRandom. */
public final class MemoryIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MemoryIds() {
    }

    public static String response() {
        return make("resp_");
    }

    public static String conversation() {
        return make("conv_");
    }

    public static String message() {
        return make("msg_");
    }

    public static String functionCall() {
        return make("fc_");
    }

    public static String functionCallOutput() {
        return make("fco_");
    }

    /** A fresh id for an item by its type (a message when the type is missing or unknown). */
    public static String forItem(JsonObject item) {
        String type = item.getString("type", "message");
        return switch (type) {
            case "function_call" -> functionCall();
            case "function_call_output" -> functionCallOutput();
            default -> message();
        };
    }

    private static String make(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
