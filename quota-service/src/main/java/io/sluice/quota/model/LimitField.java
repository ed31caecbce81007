package io.sluice.quota.model;

import java.util.Optional;

import io.sluice.contracts.QuotaKeys.Window;

/** The four limits a plan sets and a tenant override or a key limit may set, with their JSON names. */
public enum LimitField {
    REQUESTS_PER_MINUTE("requests_per_minute", Window.RPM),
    REQUESTS_PER_HOUR("requests_per_hour", Window.RPH),
    REQUESTS_PER_DAY("requests_per_day", Window.RPD),
    TOKENS_PER_DAY("tokens_per_day", Window.TPD);

    private final String jsonName;
    private final Window window;

    LimitField(String jsonName, Window window) {
        this.jsonName = jsonName;
        this.window = window;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The Redis counter window the gateway enforces this limit in. */
    public Window window() {
        return window;
    }

    public static Optional<LimitField> fromJsonName(String name) {
        for (LimitField field : values()) {
            if (field.jsonName.equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
