package io.sluice.contracts.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one metric label bounded: a value becomes a label only when its caller vouches for it (a model the
 * orchestrator routed, a provider of the catalogue) and fewer than {@code max} values have; every other value is
 * {@link #OTHER}. A value once admitted stays one, so a series never changes its label.
 */
public final class BoundedLabelValues {
    public static final String OTHER = "other";

    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final int max;

    public BoundedLabelValues(int max) {
        this.max = max;
    }

    /** The label for {@code value}; {@code admissible} says whether it may become a new label value. */
    public String of(String value, boolean admissible) {
        if (value == null) {
            return OTHER;
        }
        if (admitted.contains(value)) {
            return value;
        }
        if (admissible && admitted.size() < max) {
            admitted.add(value);
            return value;
        }
        return OTHER;
    }
}
