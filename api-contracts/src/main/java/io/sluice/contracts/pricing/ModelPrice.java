package io.sluice.contracts.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * USD per one million tokens of one model. A price of X USD per million tokens is exactly X micro-USD per token,
 * so costs are computed exactly in micro-USD and rounded up once, never under-counted.
 *
 * @param cachedInputPerMillion input tokens the provider served from its prompt cache
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        Objects.requireNonNull(cachedInputPerMillion, "cachedInputPerMillion");
    }

    /** Cost in micro-USD; {@code cachedTokens} are part of {@code promptTokens}, as providers report them. */
    public long microUsd(long promptTokens, long cachedTokens, long completionTokens, BigDecimal multiplier) {
        long cached = Math.min(Math.max(cachedTokens, 0), promptTokens);
        BigDecimal cost = inputPerMillion.multiply(BigDecimal.valueOf(promptTokens - cached))
                .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(cached)))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(completionTokens)))
                .multiply(multiplier);
        return cost.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public long microUsd(long promptTokens, long cachedTokens, long completionTokens) {
        return microUsd(promptTokens, cachedTokens, completionTokens, BigDecimal.ONE);
    }
}
