package io.sluice.contracts.credential;

/** A token carried as {@code Authorization: Bearer <token>} (RFC 6750), as every Sluice credential is. */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** The value of an Authorization header carrying {@code token}. */
    public static String header(String token) {
        return SCHEME + token;
    }

    /** The token of an Authorization header value, or null when it carries no bearer token. */
    public static String of(String authorization) {
        // The scheme name is case-insensitive (RFC 9110).
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        return authorization.substring(SCHEME.length()).strip();
    }
}
