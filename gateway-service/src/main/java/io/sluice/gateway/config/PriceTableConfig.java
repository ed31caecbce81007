package io.sluice.gateway.config;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** USD per one million tokens, per model; used to reserve and settle budgets. */
@ConfigMapping(prefix = "sluice.prices")
public interface PriceTableConfig {

    Map<String, Price> models();

    /** For models the table does not list. */
    @WithName("default")
    Price fallback();

    interface Price {
        double inputPerMillion();

        double outputPerMillion();
    }
}
