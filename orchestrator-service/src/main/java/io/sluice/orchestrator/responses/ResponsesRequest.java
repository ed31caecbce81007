package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.adapter.RequestReader.array;
import static io.sluice.orchestrator.adapter.RequestReader.number;
import static io.sluice.orchestrator.adapter.RequestReader.object;
import static io.sluice.orchestrator.adapter.RequestReader.objectAt;
import static io.sluice.orchestrator.adapter.RequestReader.optionalFlag;
import static io.sluice.orchestrator.adapter.RequestReader.path;
import static io.sluice.orchestrator.adapter.RequestReader.requiredObject;
import static io.sluice.orchestrator.adapter.RequestReader.requiredString;
import static io.sluice.orchestrator.adapter.RequestReader.string;
import static io.sluice.orchestrator.adapter.RequestReader.wrongType;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A checked {@code POST /v1/responses} body. {@code input} is normalised to stored item shapes (see
 * {@link InputItemReader}); {@code tools} keeps the Responses shape ({@code {"type":"function","name",…}});
 * {@code toolChoice} is a mode string or {@code {"type":"function","name"}}; {@code text} is the text configuration
 * echoed in the response ({@code {"format":{"type":"text"}}} by default) and, for a JSON format, the chat
 * {@code response_format}. Null numbers mean "not sent".
 */
public record ResponsesRequest(String model, List<JsonObject> input, String instructions, JsonArray tools,
        Object toolChoice, Double temperature, Double topP, Integer maxOutputTokens, JsonObject metadata,
        String previousResponseId, String conversationId, boolean store, Truncation truncation, boolean stream,
        Boolean parallelToolCalls, JsonObject text) {

    public enum Truncation {
        AUTO, DISABLED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** OpenAI's lower bound for {@code max_output_tokens}. */
    static final int MIN_OUTPUT_TOKENS = 16;

    private static final Set<String> GENERATING = Set.of("model", "input", "instructions", "tools", "tool_choice",
            "temperature", "top_p", "max_output_tokens", "metadata", "previous_response_id", "conversation", "store",
            "truncation", "stream", "parallel_tool_calls", "text", "background");
    /** OpenAI parameters that do not change what the model is asked; accepted and not forwarded. */
    private static final Set<String> IGNORED = Set.of("user", "safety_identifier", "prompt_cache_key",
            "prompt_cache_retention", "service_tier", "include", "stream_options", "reasoning", "top_logprobs",
            "max_tool_calls");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> TOOL_MODES = Set.of("auto", "none", "required");

    /** The plan's constructor: text format plain text. */
    public ResponsesRequest(String model, List<JsonObject> input, String instructions, JsonArray tools,
            Object toolChoice, Double temperature, Double topP, Integer maxOutputTokens, JsonObject metadata,
            String previousResponseId, String conversationId, boolean store, Truncation truncation, boolean stream,
            Boolean parallelToolCalls) {
        this(model, input, instructions, tools, toolChoice, temperature, topP, maxOutputTokens, metadata,
                previousResponseId, conversationId, store, truncation, stream, parallelToolCalls, plainText());
    }

    /** Throws {@link InvalidRequestException} (a 400 naming the parameter) for anything OpenAI would refuse. */
    public static ResponsesRequest parse(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!GENERATING.contains(field) && !IGNORED.contains(field)) {
                throw new InvalidRequestException("unknown_parameter", field, "Unknown parameter: '" + field + "'.");
            }
        }
        if (Boolean.TRUE.equals(optionalFlag(body, "", "background"))) {
            throw new InvalidRequestException("unsupported_value", "background",
                    "Background responses are not supported yet; send 'background': false or leave it out.");
        }
        String previous = string(body, "", "previous_response_id");
        String conversation = conversationId(body.getValue("conversation"));
        if (previous != null && conversation != null) {
            throw new InvalidRequestException("invalid_value", "conversation", "Mutually exclusive parameters: "
                    + "Ensure you are only providing one of: 'previous_response_id' or 'conversation'.");
        }
        JsonArray tools = tools(array(body, "", "tools"));
        Boolean store = optionalFlag(body, "", "store");
        Boolean stream = optionalFlag(body, "", "stream");
        return new ResponsesRequest(requiredString(body, "", "model"), InputItemReader.read(body.getValue("input")),
                string(body, "", "instructions"), tools, toolChoice(body.getValue("tool_choice"), tools),
                range(body, "temperature", 0, 2), range(body, "top_p", 0, 1), maxOutputTokens(body),
                metadata(object(body, "", "metadata")), emptyToNull(previous, "previous_response_id"), conversation,
                store == null || store, truncation(string(body, "", "truncation")), Boolean.TRUE.equals(stream),
                optionalFlag(body, "", "parallel_tool_calls"), text(object(body, "", "text")));
    }

    /** The {@code response_format} of a chat request for {@code text.format}; null for plain text. */
    JsonObject chatResponseFormat() {
        JsonObject format = text.getJsonObject("format");
        return switch (format.getString("type")) {
            case "json_object" -> new JsonObject().put("type", "json_object");
            case "json_schema" -> {
                JsonObject schema = new JsonObject().put("name", format.getString("name"))
                        .put("schema", format.getJsonObject("schema"));
                copy(format, schema, "description");
                copy(format, schema, "strict");
                yield new JsonObject().put("type", "json_schema").put("json_schema", schema);
            }
            default -> null;
        };
    }

    static JsonObject plainText() {
        return new JsonObject().put("format", new JsonObject().put("type", "text"));
    }

    private static String conversationId(Object conversation) {
        if (conversation == null) {
            return null;
        }
        if (conversation instanceof String id) {
            return emptyToNull(id, "conversation");
        }
        if (conversation instanceof JsonObject object) {
            return requiredString(object, "conversation", "id");
        }
        throw wrongType("conversation", "a conversation id or an object with its 'id'");
    }

    private static String emptyToNull(String id, String param) {
        if (id != null && id.isEmpty()) {
            throw new InvalidRequestException("invalid_value", param, "'" + param + "' must not be empty");
        }
        return id;
    }

    private static JsonArray tools(JsonArray tools) {
        JsonArray read = new JsonArray();
        if (tools == null) {
            return read;
        }
        for (int i = 0; i < tools.size(); i++) {
            String param = path("tools", i);
            JsonObject tool = objectAt(tools, "tools", i);
            String type = requiredString(tool, param, "type");
            if (!type.equals("function")) {
                throw new InvalidRequestException("unsupported_value", path(param, "type"), "'" + path(param, "type")
                        + "': only function tools are supported (hosted tools such as " + type + " are not)");
            }
            String name = requiredString(tool, param, "name");
            if (!FUNCTION_NAME.matcher(name).matches()) {
                throw new InvalidRequestException("invalid_value", path(param, "name"), "'" + path(param, "name")
                        + "' must be 1 to 64 letters, digits, underscores or dashes");
            }
            JsonObject function = new JsonObject().put("type", "function").put("name", name);
            String description = string(tool, param, "description");
            JsonObject parameters = object(tool, param, "parameters");
            Boolean strict = optionalFlag(tool, param, "strict");
            read.add(function.put("description", description).put("parameters", parameters)
                    .put("strict", strict)); // null when not sent: chat requests then leave strict mode off
        }
        return read;
    }

    private static Object toolChoice(Object choice, JsonArray tools) {
        if (choice == null) {
            return null;
        }
        if (choice instanceof String mode) {
            if (!TOOL_MODES.contains(mode)) {
                throw new InvalidRequestException("invalid_value", "tool_choice",
                        "'tool_choice' must be one of auto, none or required, or a function");
            }
            return mode;
        }
        if (!(choice instanceof JsonObject named)) {
            throw wrongType("tool_choice", "a string or an object");
        }
        if (!"function".equals(string(named, "tool_choice", "type"))) {
            throw new InvalidRequestException("unsupported_value", "tool_choice.type",
                    "'tool_choice.type' must be function (only function tools are supported)");
        }
        String name = requiredString(named, "tool_choice", "name");
        boolean declared = tools.stream().map(JsonObject.class::cast).anyMatch(t -> name.equals(t.getString("name")));
        if (!declared) {
            throw new InvalidRequestException("invalid_value", "tool_choice.name",
                    "'tool_choice.name' must name a function in 'tools'");
        }
        return new JsonObject().put("type", "function").put("name", name);
    }

    private static Double range(JsonObject body, String field, double min, double max) {
        Number value = number(body, "", field);
        if (value == null) {
            return null;
        }
        double number = value.doubleValue();
        if (!(number >= min && number <= max)) {
            throw new InvalidRequestException("invalid_value", field,
                    "'" + field + "' must be a number from " + (int) min + " to " + (int) max);
        }
        return number;
    }

    private static Integer maxOutputTokens(JsonObject body) {
        Object value = body.getValue("max_output_tokens");
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < MIN_OUTPUT_TOKENS
                || ((Number) value).longValue() > Integer.MAX_VALUE) {
            throw new InvalidRequestException("invalid_value", "max_output_tokens",
                    "'max_output_tokens' must be a whole number of at least " + MIN_OUTPUT_TOKENS);
        }
        return ((Number) value).intValue();
    }

    /** OpenAI's metadata limits: 16 pairs, keys up to 64 characters, string values up to 512. */
    static JsonObject metadata(JsonObject metadata) {
        if (metadata == null) {
            return new JsonObject();
        }
        if (metadata.size() > 16) {
            throw new InvalidRequestException("invalid_value", "metadata", "'metadata' may hold at most 16 pairs");
        }
        for (Map.Entry<String, Object> pair : metadata) {
            String param = path("metadata", pair.getKey());
            if (pair.getKey().length() > 64) {
                throw new InvalidRequestException("invalid_value", "metadata",
                        "'metadata' keys must be at most 64 characters");
            }
            if (!(pair.getValue() instanceof String value)) {
                throw wrongType(param, "a string");
            }
            if (value.length() > 512) {
                throw new InvalidRequestException("invalid_value", param,
                        "'" + param + "' must be at most 512 characters");
            }
        }
        return metadata.copy();
    }

    private static Truncation truncation(String truncation) {
        if (truncation == null || truncation.equals("disabled")) {
            return Truncation.DISABLED;
        }
        if (truncation.equals("auto")) {
            return Truncation.AUTO;
        }
        throw new InvalidRequestException("invalid_value", "truncation", "'truncation' must be auto or disabled");
    }

    private static JsonObject text(JsonObject text) {
        if (text == null) {
            return plainText();
        }
        JsonObject format = object(text, "text", "format");
        if (format == null) {
            return plainText();
        }
        String type = requiredString(format, "text.format", "type");
        switch (type) {
            case "text", "json_object" -> {
                return new JsonObject().put("format", new JsonObject().put("type", type));
            }
            case "json_schema" -> {
                JsonObject checked = new JsonObject().put("type", "json_schema")
                        .put("name", requiredString(format, "text.format", "name"))
                        .put("schema", requiredObject(format, "text.format", "schema").copy());
                String description = string(format, "text.format", "description");
                if (description != null) {
                    checked.put("description", description);
                }
                Boolean strict = optionalFlag(format, "text.format", "strict");
                if (strict != null) {
                    checked.put("strict", strict);
                }
                return new JsonObject().put("format", checked);
            }
            default -> throw new InvalidRequestException("invalid_value", "text.format.type",
                    "'text.format.type' must be one of text, json_object or json_schema");
        }
    }

    private static void copy(JsonObject from, JsonObject to, String field) {
        if (from.containsKey(field)) {
            to.put(field, from.getValue(field));
        }
    }
}
