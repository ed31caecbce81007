package io.sluice.gateway.memory;

import java.lang.reflect.Proxy;
import java.util.Map;

import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.config.RequestLimitsConfig;

/** The configured defaults of the settings the memory validators read, for tests without an application. */
final class DefaultConfigs {
    private DefaultConfigs() {
    }

    static RequestLimitsConfig limits() {
        return of(RequestLimitsConfig.class, Map.of("maxBodyBytes", 1_048_576L, "maxMessages", 1000,
                "maxMessageChars", 262_144, "maxTokens", 131_072, "maxChoices", 8, "maxEmbeddingInputs", 2048));
    }

    static QuotaConfig quota() {
        return of(QuotaConfig.class, Map.of("defaultCompletionReservation", 4096));
    }

    private static <T> T of(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                }));
    }
}
