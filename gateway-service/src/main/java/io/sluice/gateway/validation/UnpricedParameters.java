package io.sluice.gateway.validation;

import java.util.List;
import java.util.function.Predicate;

import io.sluice.contracts.rest.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI chat fields that change what a provider charges beyond the tokens the price table prices: a request
 * that sets one of them is refused (400 {@code unsupported_parameter}), so a client cannot buy what its budget never
 * sees. {@code prediction} is not here: rejected prediction tokens are completion tokens, billed from the usage and
 * bounded by the output cap like any other.
 */
public final class UnpricedParameters {
    /** A field, which of its values the price table accounts for, and what the others would buy. */
    private record Rule(String param, Predicate<Object> priced, String buys) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("service_tier", value -> value == null || "auto".equals(value) || "default".equals(value),
                    "a service tier other than auto or default (priced differently)"),
            new Rule("modalities", value -> value == null || value instanceof JsonArray modes && !modes.contains("audio"),
                    "audio output (priced per audio token)"),
            new Rule("audio", value -> value == null, "audio output (priced per audio token)"),
            new Rule("web_search_options", value -> value == null, "web search (priced per search)"),
            new Rule("store", value -> value == null || Boolean.FALSE.equals(value),
                    "stored completions (kept and billed by the provider)"));

    private UnpricedParameters() {
    }

    /** Refuses the first field of {@code request} whose value the price table does not account for. */
    public static void refuse(JsonObject request) {
        for (Rule rule : RULES) {
            if (!rule.priced().test(request.getValue(rule.param()))) {
                throw ApiException.badRequest("unsupported_parameter", rule.param(), "'" + rule.param()
                        + "' is not supported here: it asks for " + rule.buys()
                        + ", which this gateway's quotas and budgets cannot account for.");
            }
        }
    }
}
