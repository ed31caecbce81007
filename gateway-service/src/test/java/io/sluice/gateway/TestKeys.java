package io.sluice.gateway;

import java.security.SecureRandom;
import java.util.Base64;

import io.sluice.contracts.ApiKeys;

/** Keys of the form quota-service mints, which the gateway looks up (those of any other form it refuses unseen). */
public final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    public static String wellFormed() {
        byte[] random = new byte[ApiKeys.RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return ApiKeys.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
