package io.sluice.quota.service;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.PartialLimits;
import io.sluice.quota.model.LimitField;

/**
 * A validated change of limits, from JSON such as {@code {"requests_per_minute": 50, "tokens_per_day": null}}: a
 * named limit is set to a positive value or, when null, unset; a limit not named stays as it is.
 */
public final class LimitChanges {
    /**
     * The largest limit accepted. The gateway's quota script computes in Lua, whose numbers are doubles and exact only
     * up to 2^53.
     */
    public static final long MAX_LIMIT = (1L << 53) - 1;

    private static final LimitChanges NONE = new LimitChanges(new EnumMap<>(LimitField.class));

    private final Map<LimitField, Long> changes;

    private LimitChanges(Map<LimitField, Long> changes) {
        this.changes = changes;
    }

    /**
     * Validates the requested changes.
     *
     * @param requested limit names to values, a null value meaning "unset"; null for no change
     * @param param JSON name of the object holding them, which errors name, e.g. "overrides"
     */
    public static LimitChanges parse(Map<String, Long> requested, String param) {
        if (requested == null || requested.isEmpty()) {
            return NONE;
        }
        Map<LimitField, Long> changes = new EnumMap<>(LimitField.class);
        requested.forEach((name, value) -> {
            LimitField field = LimitField.fromJsonName(name).orElseThrow(() -> ApiException.badRequest(
                    "unknown_parameter", param + "." + name, "Unknown limit '" + name + "'; known limits: "
                            + String.join(", ", Arrays.stream(LimitField.values()).map(LimitField::jsonName)
                                    .toList())));
            changes.put(field, value == null ? null : requireValidLimit(value, param + "." + name));
        });
        return new LimitChanges(changes);
    }

    /** A limit must be a positive whole number: zero would block every request, which is what revoking is for. */
    public static long requireValidLimit(Long value, String param) {
        if (value == null) {
            throw ApiException.badRequest("invalid_value", param, param + " is required");
        }
        if (value <= 0 || value > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_value", param,
                    param + " must be a whole number from 1 to " + MAX_LIMIT);
        }
        return value;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public PartialLimits applyTo(PartialLimits current) {
        PartialLimits changed = current;
        for (Map.Entry<LimitField, Long> change : changes.entrySet()) {
            changed = changed.with(change.getKey(), change.getValue());
        }
        return changed;
    }
}
