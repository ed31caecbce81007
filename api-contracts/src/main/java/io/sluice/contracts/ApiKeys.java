package io.sluice.contracts;

import java.util.regex.Pattern;

/**
 * The form of a Sluice inference key: {@code sk-sluice-} and 32 random bytes in unpadded base64url (43 characters).
 * quota-service mints keys in this form; the gateway refuses anything else before a cache entry or a lookup, so a
 * flood of made-up keys costs neither memory nor control-plane calls.
 */
public final class ApiKeys {
    public static final String PREFIX = "sk-sluice-";
    public static final int RANDOM_BYTES = 32;
    /** Unpadded base64 of {@link #RANDOM_BYTES} bytes. */
    private static final int ENCODED_LENGTH = (RANDOM_BYTES * 8 + 5) / 6;
    private static final Pattern FORM = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{" + ENCODED_LENGTH + "}");

    private ApiKeys() {
    }

    public static boolean isWellFormed(String key) {
        return key != null && key.length() == PREFIX.length() + ENCODED_LENGTH && FORM.matcher(key).matches();
    }
}
