package io.sluice.gateway.memory;

import static io.sluice.gateway.validation.JsonParams.invalidType;
import static io.sluice.gateway.validation.JsonParams.invalidValue;
import static io.sluice.gateway.validation.JsonParams.object;
import static io.sluice.gateway.validation.JsonParams.oneOf;
import static io.sluice.gateway.validation.JsonParams.optionalArray;
import static io.sluice.gateway.validation.JsonParams.optionalBoolean;
import static io.sluice.gateway.validation.JsonParams.optionalInteger;
import static io.sluice.gateway.validation.JsonParams.optionalObject;
import static io.sluice.gateway.validation.JsonParams.optionalOneOf;
import static io.sluice.gateway.validation.JsonParams.optionalString;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.InferenceRequest;
import io.sluice.gateway.service.InferenceRequestValidator;
import io.sluice.gateway.validation.JsonParams;
import io.sluice.gateway.validation.ToolName;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.sluice.contracts.memory.HistoryReference;

/**
 * {@code POST /v1/responses}: every field the orchestrator's translation reads is checked for its type and bounds,
 * so a malformed request gets a 400 naming it before anything is forwarded or charged. The reservation is the new
 * input, the instructions and the tools, plus {@code max_output_tokens} (or the default output reservation, which
 * the orchestrator then caps the call at, as for chat); the stored history it continues is added by the pipeline,
 * which asks the orchestrator its size ({@link InferenceRequest#history()}).
 */
@ApplicationScoped
public class ResponsesRequestValidator implements InferenceRequestValidator {
    private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
    private static final Set<String> TRUNCATIONS = Set.of("auto", "disabled");
    /** OpenAI's bound on the tools of one request. */
    static final int MAX_TOOLS = 128;

    private final RequestLimitsConfig limits;
    private final QuotaConfig quota;
    private final PromptTokenEstimator tokens;

    public ResponsesRequestValidator(RequestLimitsConfig limits, QuotaConfig quota, PromptTokenEstimator tokens) {
        this.limits = limits;
        this.quota = quota;
        this.tokens = tokens;
    }

    @Override
    public InferenceRequest validate(Buffer body) {
        JsonObject request = InferenceRequestValidator.jsonObjectWithModel(body);
        if (Boolean.TRUE.equals(optionalBoolean(request, "background", "background"))) {
            // Background responses need the work queue, which this release does not run them on.
            throw ApiException.badRequest("unsupported_parameter", "background",
                    "'background' responses are not supported by this gateway.");
        }
        Object input = request.getValue("input");
        if (input == null) {
            throw ApiException.badRequest("missing_required_parameter", "input", "'input' is required");
        }
        if (input instanceof String text) {
            checkLength(text, "input");
        } else if (input instanceof JsonArray) {
            ResponseItems.check(input, "input", limits);
        } else {
            throw invalidType("input", "a string or an array of input items");
        }
        String instructions = optionalString(request, "instructions", "instructions");
        if (instructions != null) {
            checkLength(instructions, "instructions");
        }
        JsonArray tools = checkTools(request);
        checkToolChoice(request.getValue("tool_choice"));
        JsonParams.optionalNumber(request, "temperature", "temperature", 0, 2);
        JsonParams.optionalNumber(request, "top_p", "top_p", 0, 1);
        Integer maxOutputTokens = optionalInteger(request, "max_output_tokens", "max_output_tokens", 1,
                limits.maxTokens());
        Metadata.check(request, "metadata", "metadata");
        HistoryReference history = history(request);
        optionalBoolean(request, "store", "store");
        optionalBoolean(request, "parallel_tool_calls", "parallel_tool_calls");
        optionalOneOf(request, "truncation", "truncation", TRUNCATIONS);
        JsonParams.optionalLabel(request, "user", "user", ChatRequestValidator.MAX_USER_LENGTH);
        boolean stream = Boolean.TRUE.equals(optionalBoolean(request, "stream", "stream"));

        // Without a bound of its own, the call is capped (by the orchestrator) at what is reserved for it.
        Integer outputCap = maxOutputTokens == null ? quota.defaultCompletionReservation() : null;
        long inputTokens = tokens.responseItems(input) + tokens.extra(instructions) + tokens.extra(tools);
        return new InferenceRequest(body, request.getString("model"), stream, false,
                new Usage(inputTokens, maxOutputTokens != null ? maxOutputTokens : outputCap), outputCap, history, request);
    }

    /** {@code previous_response_id} or {@code conversation} (an id, or an object with one), never both. */
    private static HistoryReference history(JsonObject request) {
        Object previous = request.getValue(HistoryReference.PREVIOUS_RESPONSE);
        Object conversation = request.getValue(HistoryReference.CONVERSATION);
        if (previous != null && conversation != null) {
            throw ApiException.badRequest("invalid_value", HistoryReference.CONVERSATION,
                    "'previous_response_id' and 'conversation' cannot both be set");
        }
        if (previous != null) {
            return new HistoryReference(HistoryReference.PREVIOUS_RESPONSE,
                    MemoryIds.response(previous, HistoryReference.PREVIOUS_RESPONSE));
        }
        if (conversation == null) {
            return null;
        }
        String id = conversation instanceof JsonObject named
                ? MemoryIds.conversation(named.getValue("id"), "conversation.id")
                : MemoryIds.conversation(conversation, HistoryReference.CONVERSATION);
        return new HistoryReference(HistoryReference.CONVERSATION, id);
    }

    /** Function tools only, in the Responses API's flat shape: the orchestrator translates no other kind. */
    private static JsonArray checkTools(JsonObject request) {
        JsonArray tools = optionalArray(request, "tools", "tools");
        if (tools == null) {
            return null;
        }
        if (tools.size() > MAX_TOOLS) {
            throw invalidValue("tools", "may hold at most " + MAX_TOOLS + " tools");
        }
        for (int i = 0; i < tools.size(); i++) {
            String param = "tools[" + i + "]";
            JsonObject tool = object(tools.getValue(i), param);
            if (!"function".equals(tool.getValue("type"))) {
                throw invalidValue(param + ".type", "must be \"function\"");
            }
            ToolName.of(tool.getValue("name"), param + ".name");
            optionalString(tool, "description", param + ".description");
            optionalObject(tool, "parameters", param + ".parameters");
            optionalBoolean(tool, "strict", param + ".strict");
        }
        return tools;
    }

    private static void checkToolChoice(Object choice) {
        if (choice == null) {
            return;
        }
        if (choice instanceof String) {
            oneOf(choice, "tool_choice", TOOL_CHOICES);
            return;
        }
        if (!(choice instanceof JsonObject named)) {
            throw invalidType("tool_choice", "a string or an object");
        }
        if (!"function".equals(named.getValue("type"))) {
            throw invalidValue("tool_choice.type", "must be \"function\"");
        }
        ToolName.of(named.getValue("name"), "tool_choice.name");
    }

    private void checkLength(String text, String param) {
        if (text.length() > limits.maxMessageChars()) {
            throw ApiException.badRequest("message_too_long", param,
                    "'" + param + "' may hold at most " + limits.maxMessageChars() + " characters");
        }
    }
}
