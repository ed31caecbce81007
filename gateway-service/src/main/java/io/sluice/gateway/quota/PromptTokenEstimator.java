package io.sluice.gateway.quota;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Estimates input tokens before a request runs, for the up-front reservation (settled to the provider's count
 * afterwards). One tokenizer (cl100k) for every model: an estimate, not a bill.
 */
@ApplicationScoped
public class PromptTokenEstimator {
    // Per-message framing tokens of the chat format (role, separators), as OpenAI documents for its models.
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int TOKENS_PER_REPLY = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public long chatMessages(JsonArray messages) {
        long tokens = TOKENS_PER_REPLY;
        for (Object entry : messages) {
            tokens += TOKENS_PER_MESSAGE;
            if (entry instanceof JsonObject message) {
                tokens += text(message.getValue("content"));
            }
        }
        return tokens;
    }

    /**
     * Responses API input items (messages, function calls and their outputs), each framed as a chat message is, or
     * an input that is a single string.
     */
    public long responseItems(Object input) {
        if (!(input instanceof JsonArray items)) {
            return TOKENS_PER_REPLY + TOKENS_PER_MESSAGE + text(input);
        }
        long tokens = TOKENS_PER_REPLY;
        for (Object entry : items) {
            tokens += TOKENS_PER_MESSAGE;
            if (entry instanceof JsonObject item) {
                tokens += text(item.getValue("content")) + text(item.getValue("name"))
                        + text(item.getValue("arguments")) + text(item.getValue("output"));
            }
        }
        return tokens;
    }

    /** Text sent beside the messages (instructions), or a definition sent as JSON (tools): null counts nothing. */
    public long extra(Object value) {
        if (value == null) {
            return 0;
        }
        return value instanceof String text ? TOKENS_PER_MESSAGE + count(text)
                : count(value instanceof JsonArray array ? array.encode() : String.valueOf(value));
    }

    /** Embedding input: a string, an array of strings, or already-tokenized arrays. */
    public long embeddingInput(Object input) {
        if (input instanceof JsonArray items) {
            long tokens = 0;
            for (Object item : items) {
                tokens += item instanceof Number ? 1 : item instanceof JsonArray ids ? ids.size() : text(item);
            }
            return tokens;
        }
        return text(input);
    }

    private long text(Object content) {
        if (content instanceof String text) {
            return count(text);
        }
        if (content instanceof JsonArray parts) {
            long tokens = 0;
            for (Object part : parts) {
                if (part instanceof JsonObject object && object.getValue("text") instanceof String text) {
                    tokens += count(text);
                }
            }
            return tokens;
        }
        return 0;
    }

    /**
     * Counts text as the tokenizer sees valid Unicode: JSON lets a client send text that is not (an unpaired surrogate
     * escape, {@code "\\ud800"}), which jtokkit asserts against; each unpaired surrogate counts as the {@code ?} Java's
     * UTF-8 encoder puts in its place.
     */
    private long count(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return encoding.countTokens(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            }
        }
        return encoding.countTokens(text);
    }
}
