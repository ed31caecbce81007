package io.sluice.charttests;

import static io.sluice.charttests.Chart.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.contracts.pricing.ModelPrice;
import io.sluice.contracts.pricing.PriceTableConfig;

/**
 * The chart's configuration files, read as the services read them: the price ConfigMap loaded by SmallRye Config
 * into the price table mapping of api-contracts that the gateway's budgets and telemetry's ledger use. Model names
 * are map keys that may hold dots ("gpt-4.1") or colons ("llama3:8b"); unquoted, such a price is silently not read.
 */
class PriceTableFromChartTest {

    @Test
    void modelsWhoseNamesHoldDotsOrColonsGetTheirPrice() {
        PriceTableConfig prices = priceTable(Chart.render(Chart.Values.PROD, Map.of(
                "prices.models.gpt-4\\.1.input-per-million", "1.75",
                "prices.models.gpt-4\\.1.output-per-million", "7.5",
                "prices.models.llama3:8b.input-per-million", "0.05",
                "prices.models.llama3:8b.output-per-million", "0.1")));

        assertPrice("1.75", "7.5", prices.priceOf("gpt-4.1"));
        assertPrice("0.05", "0.1", prices.priceOf("llama3:8b"));
        // the ordinary names of values-prod.yaml and the default are read as before
        assertPrice("2.5", "10", prices.priceOf("gpt-4o"));
        assertPrice("5", "15", prices.priceOf("a-model-nobody-priced"));
    }

    @Test
    void aQuotedNameStaysOnePropertyNameSegment() {
        Properties file = ServiceWiringTest.properties(find(Chart.render(Chart.Values.DEFAULT, Map.of(
                "catalog.models.gpt-4\\.1.deployments[0].name", "openai-gpt-4-1",
                "catalog.models.gpt-4\\.1.fallbacks[0]", "gpt-4o")), "ConfigMap", "sluice-catalog"),
                "catalog.properties");
        assertEquals("openai-gpt-4-1", file.getProperty("sluice.catalog.models.\"gpt-4.1\".deployments[0].name"));
        assertEquals("gpt-4o", file.getProperty("sluice.catalog.models.\"gpt-4.1\".fallbacks"));
        assertTrue(file.stringPropertyNames().stream().noneMatch(name -> name.contains("gpt-4.1.")), file::toString);
    }

    /**
     * The rendered price ConfigMap as the only configuration source, as the services' config_ordinal 275 file. As in
     * Quarkus, a property the mapping does not know is ignored, not an error: that is how a misread price went unseen.
     */
    private static PriceTableConfig priceTable(List<ObjectNode> rendered) {
        Properties file = ServiceWiringTest.properties(find(rendered, "ConfigMap", "sluice-prices"), "prices.properties");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(toMap(file), "prices.properties", 275))
                .withMapping(PriceTableConfig.class)
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(PriceTableConfig.class);
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    /** Input and output USD per 1M tokens; cached input at the input price, as none is set. */
    private static void assertPrice(String input, String output, ModelPrice price) {
        assertEquals(0, new BigDecimal(input).compareTo(price.inputPerMillion()), price.toString());
        assertEquals(0, new BigDecimal(output).compareTo(price.outputPerMillion()), price.toString());
        assertEquals(0, new BigDecimal(input).compareTo(price.cachedInputPerMillion()), price.toString());
    }
}
