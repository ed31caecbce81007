package io.sluice.contracts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void keysMintedAsQuotaServiceMintsThemAreWellFormedAndNothingElseIs() {
        byte[] random = new byte[ApiKeys.RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String key = ApiKeys.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        assertTrue(ApiKeys.isWellFormed(key));

        assertFalse(ApiKeys.isWellFormed(null));
        assertFalse(ApiKeys.isWellFormed("sk-sluice-unverifiable"));
        assertFalse(ApiKeys.isWellFormed(key + "A"), "too long");
        assertFalse(ApiKeys.isWellFormed(key.substring(0, key.length() - 1)), "too short");
        assertFalse(ApiKeys.isWellFormed("sk-other-" + key.substring(9)), "another prefix");
        assertFalse(ApiKeys.isWellFormed(key.substring(0, 20) + "+" + key.substring(21)), "base64, not base64url");
        assertFalse(ApiKeys.isWellFormed(key.substring(0, 20) + "\u0000" + key.substring(21)), "a control character");
    }
}
