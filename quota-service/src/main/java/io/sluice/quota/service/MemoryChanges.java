package io.sluice.quota.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.MemorySettings;

/**
 * A validated change of a tenant's conversation-memory overrides, from JSON such as {@code {"max_items": 50}}: a named
 * field is set or, when null, unset (the plan's then applies); a field not named stays as it is. The whole object
 * {@code null} unsets both. Cache settings change the same way ({@link CacheChanges}).
 */
public final class MemoryChanges {
    public static final String MAX_ITEMS = "max_items";
    public static final String RETENTION_DAYS = "retention_days";

    private static final MemoryChanges NONE = new MemoryChanges(Map.of());
    private static final MemoryChanges UNSET_ALL = new MemoryChanges(Map.of(
            MAX_ITEMS, settings -> settings.withMaxItems(null),
            RETENTION_DAYS, settings -> settings.withRetentionDays(null)));

    private final Map<String, UnaryOperator<MemorySettings>> changes;

    private MemoryChanges(Map<String, UnaryOperator<MemorySettings>> changes) {
        this.changes = changes;
    }

    /**
     * Validates the requested change; nothing of it reaches a store or a log before it has passed.
     *
     * @param requested the JSON value of the memory object: Java null when absent (no change), a JSON null to unset
     *        both fields, else an object
     * @param param JSON name of the object, which errors name, e.g. "memory"
     */
    public static MemoryChanges parse(JsonNode requested, String param) {
        if (requested == null) {
            return NONE;
        }
        if (requested.isNull()) {
            return UNSET_ALL;
        }
        if (!requested.isObject()) {
            throw ApiException.badRequest("invalid_value", param, param + " must be an object with " + MAX_ITEMS
                    + " and " + RETENTION_DAYS + ", or null to unset both");
        }
        Map<String, UnaryOperator<MemorySettings>> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = requested.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean unset = value == null || value.isNull();
            String fieldParam = param + "." + name;
            UnaryOperator<MemorySettings> change = switch (name) {
                case MAX_ITEMS -> {
                    Integer maxItems = unset ? null : maxItems(number(value), fieldParam);
                    yield settings -> settings.withMaxItems(maxItems);
                }
                case RETENTION_DAYS -> {
                    Integer days = unset ? null : retentionDays(number(value), fieldParam);
                    yield settings -> settings.withRetentionDays(days);
                }
                default -> throw ApiException.badRequest("unknown_parameter", fieldParam,
                        "Unknown memory setting; known settings: " + MAX_ITEMS + ", " + RETENTION_DAYS);
            };
            changes.put(name, change);
        }
        return new MemoryChanges(changes);
    }

    /** No change requested: the object was absent or empty. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public MemorySettings applyTo(MemorySettings current) {
        MemorySettings changed = current;
        for (UnaryOperator<MemorySettings> change : changes.values()) {
            changed = change.apply(changed);
        }
        return changed;
    }

    /** {@code value} as a number of items, or 400 naming {@code param}; null stays null. */
    static Integer maxItems(Long value, String param) {
        return within(value, MemoryPolicy.MAX_ITEMS_LIMIT, param,
                " must be a whole number of items from 1 to " + MemoryPolicy.MAX_ITEMS_LIMIT);
    }

    /** {@code value} as a number of days, or 400 naming {@code param}; null stays null. */
    static Integer retentionDays(Long value, String param) {
        return within(value, MemoryPolicy.MAX_RETENTION_DAYS, param,
                " must be a whole number of days from 1 to " + MemoryPolicy.MAX_RETENTION_DAYS);
    }

    private static Integer within(Long value, int max, String param, String rule) {
        if (value != null && (value < 1 || value > max)) {
            throw ApiException.badRequest("invalid_value", param, param + rule);
        }
        return value == null ? null : value.intValue();
    }

    // A fraction, a string or a number beyond a long is refused (as 0, out of range), not rounded or parsed.
    private static Long number(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : 0L;
    }
}
