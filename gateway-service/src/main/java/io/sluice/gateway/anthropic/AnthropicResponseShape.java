package io.sluice.gateway.anthropic;

import io.sluice.contracts.ApiError;
import io.sluice.gateway.relay.ResponseShape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers in Anthropic's Messages format: the orchestrator's chat completion becomes a Message, its chunk stream
 * becomes Anthropic's event stream, and every error takes Anthropic's error format with the same status.
 */
public final class AnthropicResponseShape implements ResponseShape {
    private final String messageId;
    private final String model;

    public AnthropicResponseShape() {
        this(null, null);
    }

    private AnthropicResponseShape(String messageId, String model) {
        this.messageId = messageId;
        this.model = model;
    }

    @Override
    public ResponseShape forRequest(String requestId, String model) {
        // Our request id names the message, so a client can quote either one to us.
        return new AnthropicResponseShape("msg_" + requestId.substring(requestId.indexOf('_') + 1), model);
    }

    @Override
    public void sendError(HttpServerResponse out, int status, ApiError error) {
        if (out.ended() || out.closed()) {
            return;
        }
        if (out.headWritten()) {
            out.end();
            return;
        }
        out.setStatusCode(status).putHeader("content-type", "application/json")
                .end(AnthropicErrors.of(status, error).encode());
    }

    @Override
    public boolean passesWholeAnswersThrough() {
        return false;
    }

    @Override
    public Buffer whole(int status, Buffer body) {
        if (status != 200) {
            return AnthropicErrors.fromOpenAi(status, body).toBuffer();
        }
        return AnthropicMessages.fromChatCompletion(body.toJsonObject(), messageId, model).toBuffer();
    }

    @Override
    public StreamTranslator stream() {
        return new AnthropicStreamTranslator(messageId, model);
    }
}
