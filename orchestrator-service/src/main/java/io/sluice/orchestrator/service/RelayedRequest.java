package io.sluice.orchestrator.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.ModelName;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.vertx.core.MultiMap;

/**
 * What the gateway tells the orchestrator beside the client's body ({@link RelayHeaders}): the aliases the calling
 * key may use ({@code x-sluice-allowed-models}, comma-separated; absent or blank: every alias) and the output cap
 * it reserved quota for ({@code x-sluice-max-output-tokens}). Only the gateway sets these headers, so a malformed
 * value comes from a bug or from someone inside the cluster: it is refused with 400, never ignored.
 */
public record RelayedRequest(Optional<Set<String>> allowedModels, OptionalInt maxOutputTokens) {
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,10}");

    public static RelayedRequest of(MultiMap headers) {
        return new RelayedRequest(allowedModels(headers.get(RelayHeaders.ALLOWED_MODELS)),
                maxOutputTokens(headers.get(RelayHeaders.MAX_OUTPUT_TOKENS)));
    }

    /** Whether the calling key may use {@code alias}. */
    public boolean allows(String alias) {
        return allowedModels.isEmpty() || allowedModels.get().contains(alias);
    }

    private static Optional<Set<String>> allowedModels(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Set<String> aliases = new HashSet<>();
        for (String alias : value.split(",", -1)) {
            String name = alias.strip();
            if (!ModelName.isValid(name)) {
                throw malformed(RelayHeaders.ALLOWED_MODELS,
                        "a comma-separated list of model names (1-128 of A-Z a-z 0-9 . _ : / @ + -)");
            }
            aliases.add(name);
        }
        return Optional.of(aliases);
    }

    private static OptionalInt maxOutputTokens(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        String count = value.strip();
        if (!COUNT.matcher(count).matches() || Long.parseLong(count) < 1 || Long.parseLong(count) > Integer.MAX_VALUE) {
            throw malformed(RelayHeaders.MAX_OUTPUT_TOKENS, "a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return OptionalInt.of(Integer.parseInt(count));
    }

    /** The header's value is not repeated: it may be anything. */
    private static ApiException malformed(String header, String expected) {
        return new ApiException(400, ApiError.invalidRequest("invalid_relay_header", header,
                "The " + header + " header must be " + expected + "."));
    }
}
