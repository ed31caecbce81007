package io.sluice.gateway.memory;

import java.util.regex.Pattern;

import io.sluice.gateway.validation.JsonParams;

/**
 * The ids of stored responses, conversations and items as the gateway accepts them from a client or an orchestrator
 * answer: a kind's prefix and 1 to 64 letters or digits. They reach URLs, usage events and the ledger, so nothing
 * else passes.
 */
public final class MemoryIds {
    private static final Pattern RESPONSE = Pattern.compile("resp_[A-Za-z0-9]{1,64}");
    private static final Pattern CONVERSATION = Pattern.compile("conv_[A-Za-z0-9]{1,64}");
    private static final Pattern ITEM = Pattern.compile("(msg|fc|fco)_[A-Za-z0-9]{1,64}");

    private MemoryIds() {
    }

    public static boolean isResponse(String id) {
        return id != null && RESPONSE.matcher(id).matches();
    }

    public static boolean isConversation(String id) {
        return id != null && CONVERSATION.matcher(id).matches();
    }

    public static boolean isItem(String id) {
        return id != null && ITEM.matcher(id).matches();
    }

    /** A response id at {@code param}, or a 400 naming it. */
    public static String response(Object value, String param) {
        return checked(value, param, RESPONSE, "resp_");
    }

    /** A conversation id at {@code param}, or a 400 naming it. */
    public static String conversation(Object value, String param) {
        return checked(value, param, CONVERSATION, "conv_");
    }

    /** An item id ({@code msg_}, {@code fc_} or {@code fco_}) at {@code param}, or a 400 naming it. */
    public static String item(Object value, String param) {
        return checked(value, param, ITEM, "msg_, fc_ or fco_");
    }

    private static String checked(Object value, String param, Pattern rule, String prefix) {
        String id = JsonParams.string(value, param);
        if (!rule.matcher(id).matches()) {
            throw JsonParams.invalidValue(param, "must be an id starting with " + prefix
                    + " followed by 1 to 64 letters or digits");
        }
        return id;
    }
}
