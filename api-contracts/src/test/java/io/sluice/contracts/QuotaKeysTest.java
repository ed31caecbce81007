package io.sluice.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.QuotaKeys.Window;

class QuotaKeysTest {
    private static final Instant NOW = Instant.parse("2026-12-31T23:59:15Z");

    @Test
    void countersAreStampedWithTheirWindowUnderTheTenantsHashTag() {
        long epochSecond = NOW.getEpochSecond();
        assertEquals("sluice:q:{t1}:rpm:" + epochSecond / 60, QuotaKeys.tenantCounter("t1", Window.RPM, NOW));
        assertEquals("sluice:q:{t1}:rph:" + epochSecond / 3600, QuotaKeys.tenantCounter("t1", Window.RPH, NOW));
        assertEquals("sluice:q:{t1}:tpd:" + epochSecond / 86400, QuotaKeys.tenantCounter("t1", Window.TPD, NOW));
        assertEquals("sluice:q:{t1}:usd-month:202612", QuotaKeys.tenantCounter("t1", Window.USD_MONTH, NOW));
        assertEquals("sluice:q:{t1}:k:key9:rpd:" + epochSecond / 86400,
                QuotaKeys.keyCounter("t1", "key9", Window.RPD, NOW));
    }

    @Test
    void windowsResetOnTheirUtcBoundaries() {
        assertEquals(45, Window.RPM.secondsToReset(NOW));
        assertEquals(45, Window.RPH.secondsToReset(NOW));
        assertEquals(45, Window.USD_DAY.secondsToReset(NOW));
        assertEquals(45, Window.USD_MONTH.secondsToReset(NOW), "next month is next year");
        assertEquals(31L * 86_400, Window.USD_MONTH.secondsToReset(Instant.parse("2026-12-01T00:00:00Z")));
    }
}
