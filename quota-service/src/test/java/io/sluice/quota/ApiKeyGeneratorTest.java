package io.sluice.quota;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.RepeatedTest;

import io.sluice.contracts.ApiKeys;
import io.sluice.quota.service.ApiKeyGenerator;

/** The gateway refuses keys not of the form {@link ApiKeys} defines before any lookup: every minted key must fit it. */
class ApiKeyGeneratorTest {

    @RepeatedTest(50)
    void everyMintedKeyHasTheFormTheGatewayAccepts() {
        String key = new ApiKeyGenerator().generate().plaintext();
        assertTrue(ApiKeys.isWellFormed(key), "a minted key the gateway would refuse unseen");
    }
}
