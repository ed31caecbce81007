package io.sluice.gateway.cache.semantic;

import java.util.Optional;

import io.sluice.gateway.cache.key.CanonicalRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A chat completion request as the semantic cache sees it: the question (the text of the last message, a user's) and
 * the context (everything else), which must be identical for a stored answer to be reused. The context's key is the
 * {@link CanonicalRequest} hash of the body without that text, so the system prompt, tools, earlier turns and every
 * answer-changing parameter are matched exactly, as by the exact cache; only the question may be rephrased.
 *
 * @param contextSha256 hex SHA-256 of the endpoint and the canonical body without the question's text
 * @param question the last user message's text (text parts joined by a newline)
 */
public record SemanticRequest(String contextSha256, String question) {
    /**
     * Appended to the endpoint in the context's hash: a context is never confused with a whole request's key, even
     * one whose last message has no content.
     */
    static final String CONTEXT_MARK = " context";

    /**
     * The request's context key and question; empty when it is not eligible: no messages, a last message that is
     * not a user's (a tool result, an assistant prefill), content other than text (an image, audio, a file), or no
     * text at all. Such requests use the exact cache only.
     *
     * @param endpoint the public path, as for {@link CanonicalRequest#sha256}
     * @param body the OpenAI chat completions body forwarded to the orchestrator (an Anthropic request's translation)
     */
    public static Optional<SemanticRequest> of(String endpoint, JsonObject body) {
        if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()
                || !(messages.getValue(messages.size() - 1) instanceof JsonObject last)
                || !"user".equals(last.getValue("role"))) {
            return Optional.empty();
        }
        return questionText(last.getValue("content")).map(question -> {
            JsonObject context = body.copy();
            JsonArray contextMessages = context.getJsonArray("messages");
            contextMessages.getJsonObject(contextMessages.size() - 1).remove("content");
            return new SemanticRequest(CanonicalRequest.sha256(endpoint + CONTEXT_MARK, context), question);
        });
    }

    /** A string, or an array of text parts only; trimmed, and not blank. */
    private static Optional<String> questionText(Object content) {
        String text;
        if (content instanceof String string) {
            text = string;
        } else if (content instanceof JsonArray parts && !parts.isEmpty()) {
            StringBuilder joined = new StringBuilder();
            for (Object part : parts) {
                if (!(part instanceof JsonObject object) || !"text".equals(object.getValue("type"))
                        || !(object.getValue("text") instanceof String partText)) {
                    return Optional.empty();
                }
                joined.append(joined.isEmpty() ? "" : "\n").append(partText);
            }
            text = joined.toString();
        } else {
            return Optional.empty();
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }
}
