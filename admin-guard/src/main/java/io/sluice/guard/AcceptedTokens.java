package io.sluice.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.quarkus.logging.Log;

/**
 * The tokens a guard accepts, kept as SHA-256 digests and compared in constant time. Blank or missing tokens are
 * left out; with none left, nothing is accepted.
 */
public final class AcceptedTokens {
    private static final int RECOMMENDED_MIN_LENGTH = 32;

    private final List<byte[]> digests = new ArrayList<>();
    private final int shortestLength;

    public AcceptedTokens(List<Optional<String>> configured) {
        int shortest = Integer.MAX_VALUE;
        for (Optional<String> token : configured) {
            String value = token.map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
            if (value != null) {
                digests.add(sha256(value));
                shortest = Math.min(shortest, value.length());
            }
        }
        this.shortestLength = shortest;
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /** Whether {@code presented} is one of the tokens; the time taken depends on neither token's content or length. */
    public boolean accepts(String presented) {
        if (presented == null || digests.isEmpty()) {
            return false;
        }
        // Fixed-length digests keep the comparison independent of the lengths too (MessageDigest.isEqual alone is
        // constant-time only for equal lengths); every digest is compared, so which one matched does not show either.
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] accepted : digests) {
            match |= MessageDigest.isEqual(accepted, digest);
        }
        return match;
    }

    /** Says at start-up why a guard refuses every call or is weak; {@code setting} is how operators set it. */
    public void warnIfWeak(String setting, String refused) {
        if (isEmpty()) {
            Log.warnf("%s is not set: %s refused with 401", setting, refused);
        } else if (shortestLength < RECOMMENDED_MIN_LENGTH) {
            Log.warnf("%s is shorter than %d characters; use a long random value", setting, RECOMMENDED_MIN_LENGTH);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
