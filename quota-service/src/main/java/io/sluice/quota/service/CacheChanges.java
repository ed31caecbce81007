package io.sluice.quota.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.CacheSettings;
import io.sluice.quota.model.CacheCaps;
import io.sluice.quota.model.CacheNames;

/**
 * A validated change of response-cache settings, from JSON such as {@code {"mode": "exact", "ttl_seconds": 600}}: a
 * named field is set or, when null, unset (a tenant's then takes the default, a key's its tenant's); a field not named
 * stays as it is. The whole object {@code null} unsets every field. This is how limits change, so a key's cache
 * setting inherits from its tenant's field by field as its limits add to its tenant's.
 */
public final class CacheChanges {
    public static final String MODE = "mode";
    public static final String TTL_SECONDS = "ttl_seconds";
    public static final String NAMESPACES = "namespaces";

    private static final CacheChanges NONE = new CacheChanges(Map.of());
    private static final CacheChanges UNSET_ALL = new CacheChanges(Map.of(
            MODE, settings -> settings.withMode(null),
            TTL_SECONDS, settings -> settings.withTtlSeconds(null),
            NAMESPACES, settings -> settings.withNamespaces(null)));

    private final Map<String, UnaryOperator<CacheSettings>> changes;

    private CacheChanges(Map<String, UnaryOperator<CacheSettings>> changes) {
        this.changes = changes;
    }

    /**
     * Validates the requested change; nothing of it reaches a store or a log before it has passed.
     *
     * @param requested the JSON value of the cache object: Java null when absent (no change), a JSON null to unset
     *        every field, else an object
     * @param param JSON name of the object, which errors name, e.g. "cache"
     */
    public static CacheChanges parse(JsonNode requested, String param) {
        if (requested == null) {
            return NONE;
        }
        if (requested.isNull()) {
            return UNSET_ALL;
        }
        if (!requested.isObject()) {
            throw ApiException.badRequest("invalid_value", param, param + " must be an object with " + MODE + ", "
                    + TTL_SECONDS + " and " + NAMESPACES + ", or null to unset them all");
        }
        Map<String, UnaryOperator<CacheSettings>> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = requested.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean unset = value == null || value.isNull();
            String fieldParam = param + "." + name;
            UnaryOperator<CacheSettings> change = switch (name) {
                case MODE -> {
                    var mode = unset ? null : CacheNames.mode(value.isTextual() ? value.asText() : null)
                            .orElseThrow(() -> ApiException.badRequest("invalid_value", fieldParam,
                                    fieldParam + " must be one of " + CacheNames.modes() + " (null unsets it)"));
                    yield settings -> settings.withMode(mode);
                }
                case TTL_SECONDS -> {
                    Long ttl = unset ? null : ttlSeconds(value, fieldParam);
                    yield settings -> settings.withTtlSeconds(ttl);
                }
                case NAMESPACES -> {
                    var namespaces = unset ? null : CacheNames.namespaces(value.isTextual() ? value.asText() : null)
                            .orElseThrow(() -> ApiException.badRequest("invalid_value", fieldParam, fieldParam
                                    + " must be one of " + CacheNames.namespaceKinds() + " (null unsets it)"));
                    yield settings -> settings.withNamespaces(namespaces);
                }
                default -> throw ApiException.badRequest("unknown_parameter", fieldParam,
                        "Unknown cache setting; known settings: " + MODE + ", " + TTL_SECONDS + ", " + NAMESPACES);
            };
            changes.put(name, change);
        }
        return new CacheChanges(changes);
    }

    /** No change requested: the object was absent or empty. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public CacheSettings applyTo(CacheSettings current) {
        CacheSettings changed = current;
        for (UnaryOperator<CacheSettings> change : changes.values()) {
            changed = change.apply(changed);
        }
        return changed;
    }

    private static long ttlSeconds(JsonNode value, String param) {
        // A fraction, a string or a number beyond a long is refused, not rounded or parsed.
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < 1 || value.asLong() > CacheCaps.MAX_TTL_SECONDS) {
            throw ApiException.badRequest("invalid_value", param,
                    param + " must be a whole number of seconds from 1 to " + CacheCaps.MAX_TTL_SECONDS
                            + " (the plan may cap it lower; null unsets it)");
        }
        return value.asLong();
    }
}
