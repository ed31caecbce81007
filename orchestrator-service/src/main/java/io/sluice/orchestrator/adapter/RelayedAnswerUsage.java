package io.sluice.orchestrator.adapter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;

/**
 * The usage of an OpenAI-format answer that is relayed byte for byte, read with a streaming parser instead of a
 * JSON tree: the whole body is checked to be one well-formed JSON object, and only its top-level {@code usage} is
 * decoded; everything else (a 2,048-vector embeddings list, say) is skipped token by token. The counts are those
 * {@link TokenUsage#ofAnswer} would read from the same body.
 */
final class RelayedAnswerUsage {
    private static final JsonFactory JSON = new JsonFactory();

    private RelayedAnswerUsage() {
    }

    /** The answer's usage; throws {@link DecodeException} when the body is not one JSON object. */
    static TokenUsage of(Buffer body) {
        try (JsonParser parser = JSON.createParser((InputStream) new BufferInput(body))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException("the answer is not a JSON object");
            }
            TokenUsage usage = TokenUsage.NONE;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isUsage = "usage".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isUsage && value == JsonToken.START_OBJECT) {
                    usage = usage(parser);
                } else {
                    usage = isUsage ? TokenUsage.NONE : usage;
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new DecodeException("the answer is not one JSON object");
            }
            return usage;
        } catch (IOException malformed) {
            throw new UncheckedIOException(malformed);
        }
    }

    /** The counts of a {@code usage} object; the parser is on its start and is left on its end. */
    private static TokenUsage usage(JsonParser parser) throws IOException {
        int prompt = 0;
        int completion = 0;
        int cached = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "prompt_tokens" -> prompt = count(parser, value);
                case "completion_tokens" -> completion = count(parser, value);
                case "prompt_tokens_details" -> cached = value == JsonToken.START_OBJECT ? cached(parser) : none(parser);
                default -> parser.skipChildren();
            }
        }
        return new TokenUsage(prompt, completion, cached);
    }

    private static int cached(JsonParser parser) throws IOException {
        int cached = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean isCached = "cached_tokens".equals(parser.currentName());
            JsonToken value = parser.nextToken();
            if (isCached) {
                cached = count(parser, value);
            } else {
                parser.skipChildren();
            }
        }
        return cached;
    }

    /** A value that is not the object expected: skipped, and counts 0. */
    private static int none(JsonParser parser) throws IOException {
        parser.skipChildren();
        return 0;
    }

    /** A number as {@code Number.intValue()} reads it; anything else counts 0 (and is skipped). */
    private static int count(JsonParser parser, JsonToken value) throws IOException {
        return value.isNumeric() ? parser.getNumberValue().intValue() : none(parser);
    }

    /** The body as the parser's input, read in place: the parser copies a block at a time, never the whole body. */
    private static final class BufferInput extends InputStream {
        private final Buffer body;
        private int position;

        BufferInput(Buffer body) {
            this.body = body;
        }

        @Override
        public int read() {
            return position < body.length() ? body.getByte(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (position >= body.length()) {
                return -1;
            }
            int count = Math.min(length, body.length() - position);
            body.getBytes(position, position + count, into, offset);
            position += count;
            return count;
        }
    }
}
