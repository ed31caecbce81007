package io.sluice.contracts.pricing;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The price table, read by the gateway (to reserve and settle USD budgets) and by telemetry-service (to price each
 * ledger row) from the same keys. Defaults for common models ship in this jar's
 * {@code META-INF/microprofile-config.properties}; operators add or override models with {@code sluice.prices.*}
 * in any higher-ordinal source (application.properties, environment, the chart's price ConfigMap).
 */
@ConfigMapping(prefix = "sluice.prices")
public interface PriceTableConfig {

    Map<String, Price> models();

    /** For models the table does not list. */
    @WithName("default")
    Price fallback();

    default ModelPrice priceOf(String model) {
        Price price = model == null ? fallback() : models().getOrDefault(model, fallback());
        return new ModelPrice(price.inputPerMillion(), price.outputPerMillion(),
                price.cachedInputPerMillion().orElse(price.inputPerMillion()));
    }

    interface Price {
        BigDecimal inputPerMillion();

        BigDecimal outputPerMillion();

        /** Absent: cached input costs what input costs. */
        Optional<BigDecimal> cachedInputPerMillion();
    }
}
