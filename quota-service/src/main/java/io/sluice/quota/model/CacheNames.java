package io.sluice.quota.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;

/**
 * The names of the response cache's modes and namespace kinds as the admin API, the database and the grant spell
 * them: lower case ("exact", "key"), exactly as {@link io.sluice.contracts.KeyGrant}'s JSON does.
 */
public final class CacheNames {
    private CacheNames() {
    }

    public static String of(CacheMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    public static String of(CacheNamespaces namespaces) {
        return namespaces.name().toLowerCase(Locale.ROOT);
    }

    /** The mode spelled exactly {@code name} (lower case); empty for anything else. */
    public static Optional<CacheMode> mode(String name) {
        return Arrays.stream(CacheMode.values()).filter(mode -> of(mode).equals(name)).findFirst();
    }

    /** The namespace kind spelled exactly {@code name} (lower case); empty for anything else. */
    public static Optional<CacheNamespaces> namespaces(String name) {
        return Arrays.stream(CacheNamespaces.values()).filter(kind -> of(kind).equals(name)).findFirst();
    }

    public static String modes() {
        return String.join(", ", Arrays.stream(CacheMode.values()).map(CacheNames::of).toList());
    }

    public static String namespaceKinds() {
        return String.join(", ", Arrays.stream(CacheNamespaces.values()).map(CacheNames::of).toList());
    }
}
