package io.sluice.orchestrator.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the translating adapters (Anthropic, Gemini) read from an OpenAI chat request, checked as it is read: a
 * field they cannot translate is an {@link InvalidRequestException} naming its path, never a
 * {@code ClassCastException} that would count against the deployment.
 */
final class ChatRequestReader {
    /** One entry of {@code messages}: its path (for errors), role ({@code user} when absent) and fields. */
    record Message(String param, String role, JsonObject fields) {
        /** The text of its {@code content} (see {@link ChatRequestReader#text}). */
        String text() {
            return ChatRequestReader.text(fields.getValue("content"), RequestReader.path(param, "content"));
        }

        /** The parts of its {@code content} (see {@link ChatRequestReader#parts}). */
        List<ContentPart> parts() {
            return ChatRequestReader.parts(fields.getValue("content"), RequestReader.path(param, "content"));
        }
    }

    /** A call the assistant made in an earlier turn: arguments parsed ({} when the model produced broken JSON). */
    record ToolCall(String id, String name, JsonObject arguments) {
    }

    /** A function the model may call; {@code description} and {@code parameters} may be null. */
    record Tool(String name, String description, JsonObject parameters) {
    }

    /** {@code tool_choice}: {@code auto}, {@code required} or {@code none}, or one named {@code function}. */
    record ToolChoice(String mode, String function) {
    }

    private ChatRequestReader() {
    }

    static List<Message> messages(JsonObject request) {
        JsonArray messages = RequestReader.requiredArray(request, "", "messages");
        List<Message> read = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String param = RequestReader.path("messages", i);
            JsonObject message = RequestReader.objectAt(messages, "messages", i);
            String role = RequestReader.string(message, param, "role");
            read.add(new Message(param, role == null ? "user" : role, message));
        }
        return read;
    }

    /**
     * The text of a {@code content}: a string, or the text parts of an array joined by new lines (other parts are
     * left out); absent is empty.
     */
    static String text(Object content, String param) {
        if (content == null) {
            return "";
        }
        if (content instanceof String text) {
            return text;
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart part : parts(content, param)) {
            if (part.type().equals("text")) {
                text.append(text.isEmpty() ? "" : "\n").append(part.text());
            }
        }
        return text.toString();
    }

    /** One content part: its type and, for {@code text} and {@code image_url} parts, the text or URL. */
    record ContentPart(String type, String text, String url) {
    }

    /** The parts of an array {@code content}; a string content is one text part. */
    static List<ContentPart> parts(Object content, String param) {
        if (content == null) {
            return List.of();
        }
        if (content instanceof String text) {
            return List.of(new ContentPart("text", text, null));
        }
        if (!(content instanceof JsonArray array)) {
            throw RequestReader.wrongType(param, "a string or an array of content parts");
        }
        List<ContentPart> parts = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String partParam = RequestReader.path(param, i);
            JsonObject part = RequestReader.objectAt(array, param, i);
            String type = RequestReader.string(part, partParam, "type");
            switch (type == null ? "text" : type) {
                case "text" -> {
                    String text = RequestReader.string(part, partParam, "text");
                    if (text == null) {
                        throw new InvalidRequestException("missing_required_parameter",
                                RequestReader.path(partParam, "text"), "a text part needs its 'text' (a string)");
                    }
                    parts.add(new ContentPart("text", text, null));
                }
                case "image_url" -> parts.add(new ContentPart("image_url", null, RequestReader.requiredString(
                        RequestReader.requiredObject(part, partParam, "image_url"),
                        RequestReader.path(partParam, "image_url"), "url")));
                default -> parts.add(new ContentPart(type, null, null)); // audio, files: not translated
            }
        }
        return parts;
    }

    /** The {@code tool_calls} of an assistant message; each needs a function with a name. */
    static List<ToolCall> toolCalls(Message message) {
        String param = RequestReader.path(message.param(), "tool_calls");
        JsonArray calls = RequestReader.array(message.fields(), message.param(), "tool_calls");
        if (calls == null) {
            return List.of();
        }
        List<ToolCall> read = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String callParam = RequestReader.path(param, i);
            JsonObject call = RequestReader.objectAt(calls, param, i);
            String id = RequestReader.string(call, callParam, "id");
            JsonObject function = RequestReader.requiredObject(call, callParam, "function");
            String functionParam = RequestReader.path(callParam, "function");
            String name = RequestReader.requiredString(function, functionParam, "name");
            read.add(new ToolCall(id, name, arguments(function, functionParam)));
        }
        return read;
    }

    /** Arguments as OpenAI sends them (a JSON string) or already as an object. */
    private static JsonObject arguments(JsonObject function, String param) {
        Object arguments = function.getValue("arguments");
        if (arguments == null || arguments instanceof JsonObject) {
            return arguments == null ? new JsonObject() : (JsonObject) arguments;
        }
        if (!(arguments instanceof String json)) {
            throw RequestReader.wrongType(RequestReader.path(param, "arguments"), "a string of JSON");
        }
        try {
            return json.isBlank() ? new JsonObject() : new JsonObject(json);
        } catch (DecodeException | ClassCastException notAnObject) {
            return new JsonObject(); // the model produced broken arguments; both providers need an object
        }
    }

    /** A tool message's {@code tool_call_id}: the call its content answers. */
    static String toolCallId(Message message) {
        return RequestReader.requiredString(message.fields(), message.param(), "tool_call_id");
    }

    /** The function tools of {@code tools}; tools of other types are left out. */
    static List<Tool> tools(JsonObject request) {
        JsonArray tools = RequestReader.array(request, "", "tools");
        if (tools == null) {
            return List.of();
        }
        List<Tool> read = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            String param = RequestReader.path("tools", i);
            JsonObject function = RequestReader.object(RequestReader.objectAt(tools, "tools", i), param, "function");
            if (function != null) {
                String functionParam = RequestReader.path(param, "function");
                read.add(new Tool(RequestReader.requiredString(function, functionParam, "name"),
                        RequestReader.string(function, functionParam, "description"),
                        RequestReader.object(function, functionParam, "parameters")));
            }
        }
        return read;
    }

    /** {@code tool_choice}, when it is one the providers know. */
    static Optional<ToolChoice> toolChoice(JsonObject request) {
        Object choice = request.getValue("tool_choice");
        if (choice == null) {
            return Optional.empty();
        }
        if (choice instanceof String mode) {
            return switch (mode) {
                case "auto", "required", "none" -> Optional.of(new ToolChoice(mode, null));
                default -> Optional.empty();
            };
        }
        if (!(choice instanceof JsonObject named)) {
            throw RequestReader.wrongType("tool_choice", "a string or an object");
        }
        JsonObject function = RequestReader.object(named, "tool_choice", "function");
        return function == null ? Optional.empty() : Optional.of(new ToolChoice("function",
                RequestReader.requiredString(function, "tool_choice.function", "name")));
    }

    /** {@code max_completion_tokens}, else the older {@code max_tokens}; each a whole number from 1. */
    static Optional<Integer> maxTokens(JsonObject request) {
        Integer max = RequestReader.positiveInteger(request, "", "max_completion_tokens");
        Integer older = RequestReader.positiveInteger(request, "", "max_tokens");
        return Optional.ofNullable(max != null ? max : older);
    }

    /** {@code stop} as a list, whether sent as one string or an array of strings. */
    static Optional<JsonArray> stopSequences(JsonObject request) {
        Object stop = request.getValue("stop");
        if (stop == null) {
            return Optional.empty();
        }
        if (stop instanceof String one) {
            return Optional.of(new JsonArray().add(one));
        }
        if (!(stop instanceof JsonArray many)) {
            throw RequestReader.wrongType("stop", "a string or an array of strings");
        }
        for (int i = 0; i < many.size(); i++) {
            if (!(many.getValue(i) instanceof String)) {
                throw RequestReader.wrongType(RequestReader.path("stop", i), "a string");
            }
        }
        return many.isEmpty() ? Optional.empty() : Optional.of(many);
    }

    /** A sampling option ({@code temperature}, {@code top_p}): a number, or null when absent. */
    static Number number(JsonObject request, String field) {
        return RequestReader.number(request, "", field);
    }

    static boolean stream(JsonObject request) {
        return RequestReader.flag(request, "", "stream");
    }

    /** {@code user}, forwarded as the provider's end-user id where it has one. */
    static String user(JsonObject request) {
        return RequestReader.string(request, "", "user");
    }
}
