package io.sluice.contracts.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class ModelPriceTest {
    private final ModelPrice gpt4o = new ModelPrice(new BigDecimal("2.50"), new BigDecimal("10.00"),
            new BigDecimal("1.25"));

    @Test
    void pricesInputOutputAndCachedTokensSeparately() {
        // 1,000 prompt tokens of which 400 cached, 500 completion:
        // 600 x 2.50 + 400 x 1.25 + 500 x 10.00 = 1,500 + 500 + 5,000 micro-USD
        assertEquals(7_000, gpt4o.microUsd(1_000, 400, 500));
    }

    @Test
    void roundsFractionsOfAMicroDollarUp() {
        ModelPrice mini = new ModelPrice(new BigDecimal("0.15"), new BigDecimal("0.60"), new BigDecimal("0.075"));
        // 3 x 0.15 = 0.45 micro-USD: a budget must never be under-counted
        assertEquals(1, mini.microUsd(3, 0, 0));
    }

    @Test
    void cachedTokensBeyondThePromptAreCappedAtThePrompt() {
        assertEquals(gpt4o.microUsd(10, 10, 0), gpt4o.microUsd(10, 99, 0));
    }

    @Test
    void appliesTheEndpointMultiplierBeforeRounding() {
        assertEquals(5, gpt4o.microUsd(1, 0, 0, new BigDecimal("2")));
    }
}
