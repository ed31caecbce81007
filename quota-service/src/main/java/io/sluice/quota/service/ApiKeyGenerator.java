package io.sluice.quota.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.inject.Singleton;

import io.sluice.contracts.ApiKeys;

/**
 * Mints inference keys in the form {@link ApiKeys} defines (a recognisable prefix plus 256 random bits, which the
 * gateway checks before any lookup), and the SHA-256 under which they are stored.
 */
@Singleton
public class ApiKeyGenerator {
    public static final String PREFIX = ApiKeys.PREFIX;

    // Created when the bean is, i.e. at run time, so a native image never bakes in a seeded generator.
    private final SecureRandom random = new SecureRandom();

    /** A fresh key. The plaintext must go only to the caller who asked for it. */
    public GeneratedKey generate() {
        byte[] bytes = new byte[ApiKeys.RANDOM_BYTES];
        random.nextBytes(bytes);
        String plaintext = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new GeneratedKey(plaintext, sha256Hex(plaintext), plaintext.substring(plaintext.length() - 4));
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes; the gateway computes the same to look a key up. */
    public static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    public record GeneratedKey(String plaintext, String sha256Hex, String last4) {
        @Override
        public String toString() {
            // Keeps the secret out of any log line or exception message that prints this record.
            return "GeneratedKey[last4=" + last4 + "]";
        }
    }
}
