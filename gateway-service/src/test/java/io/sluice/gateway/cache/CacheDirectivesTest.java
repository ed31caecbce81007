package io.sluice.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.rest.ApiException;

class CacheDirectivesTest {

    @Test
    void readsEachRequestDirectiveCaseInsensitively() {
        assertEquals(CacheDirectives.NONE, CacheDirectives.parse(null));
        assertEquals(new CacheDirectives(true, false, null, false), CacheDirectives.parse("No-Cache"));
        assertEquals(new CacheDirectives(false, true, null, false), CacheDirectives.parse("no-store"));
        assertEquals(new CacheDirectives(false, false, 60L, true),
                CacheDirectives.parse(" max-age=60 , only-if-cached"));
        assertEquals(new CacheDirectives(false, false, 0L, false), CacheDirectives.parse("max-age=\"0\""));
    }

    @Test
    void ignoresDirectivesItHasNoUseFor() {
        assertEquals(CacheDirectives.NONE, CacheDirectives.parse("no-transform, max-stale=5, private"));
    }

    @Test
    void refusesAMaxAgeThatIsNotSeconds() {
        for (String header : new String[] { "max-age", "max-age=", "max-age=-1", "max-age=1.5", "max-age=abc",
                "max-age=99999999999", "x".repeat(600) }) {
            ApiException refused = assertThrows(ApiException.class, () -> CacheDirectives.parse(header), header);
            assertEquals(400, refused.status());
            assertEquals("Cache-Control", refused.error().error().param());
        }
    }

    @Test
    void readsOnlyWhenNeitherNoCacheNorNoStore() {
        assertTrue(CacheDirectives.parse("max-age=5").mayRead());
        assertFalse(CacheDirectives.parse("no-cache").mayRead());
        assertFalse(CacheDirectives.parse("no-store").mayRead());
    }
}
