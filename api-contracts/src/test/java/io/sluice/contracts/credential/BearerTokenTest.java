package io.sluice.contracts.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void readsTheTokenOfABearerHeaderWhateverTheSchemesCase() {
        assertEquals("abc", BearerToken.of("Bearer abc"));
        assertEquals("abc", BearerToken.of("bearer  abc "));
        assertEquals("abc", BearerToken.of(BearerToken.header("abc")));
    }

    @Test
    void otherSchemesCarryNoBearerToken() {
        assertNull(BearerToken.of(null));
        assertNull(BearerToken.of("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
        assertNull(BearerToken.of("Bearer"));
    }
}
