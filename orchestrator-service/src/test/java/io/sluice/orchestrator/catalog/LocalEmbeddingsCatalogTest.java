package io.sluice.orchestrator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.orchestrator.config.CatalogConfig;
import io.sluice.orchestrator.config.ProviderLimitsConfig;

/** How the catalogue takes local-embeddings deployments: no URL, no key, the one built-in model, no provider quota. */
class LocalEmbeddingsCatalogTest {

    @Test
    void aLocalDeploymentNeedsNoUrlKeyOrQuota() {
        ModelCatalog catalog = catalog(Map.of(
                "sluice.catalog.models.local-minilm.deployments[0].name", "local-minilm",
                "sluice.catalog.models.local-minilm.deployments[0].provider", "local-embeddings"));
        Deployment local = catalog.resolve("local-minilm").deployments().get(0);
        assertEquals(ProviderType.LOCAL_EMBEDDINGS, local.provider());
        assertEquals("local-embeddings", local.providerLabel());
        assertEquals(ModelCatalog.LOCAL_EMBEDDING_MODEL, local.upstreamModel());
        assertEquals(Integer.MAX_VALUE, catalog.limits(local).requestsPerMinute(), "no provider quota to count");
        assertTrue(catalog.hasInProcessDeployments());
    }

    @Test
    void aCatalogueWithoutOneDoesNotLoadTheModel() {
        assertFalse(catalog(Map.of(
                "sluice.catalog.models.gpt.deployments[0].name", "gpt",
                "sluice.catalog.models.gpt.deployments[0].provider", "openai",
                "sluice.catalog.models.gpt.deployments[0].base-url", "https://api.openai.com/v1",
                "sluice.catalog.models.gpt.deployments[0].upstream-model", "gpt-4o")).hasInProcessDeployments());
    }

    @Test
    void whatALocalDeploymentCannotHaveStopsTheService() {
        for (Map.Entry<String, String> wrong : Map.of("upstream-model", "bge-small-en",
                "base-url", "http://localhost:8090/v1", "api-key", "sk-anything").entrySet()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> catalog(Map.of(
                    "sluice.catalog.models.m.deployments[0].name", "m",
                    "sluice.catalog.models.m.deployments[0].provider", "local-embeddings",
                    "sluice.catalog.models.m.deployments[0]." + wrong.getKey(), wrong.getValue())), wrong.getKey());
            assertTrue(refused.getMessage().contains("all-minilm-l6-v2-q"), refused.getMessage());
        }
    }

    @Test
    void aRemoteDeploymentStillNeedsItsUrlAndModel() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> catalog(Map.of(
                "sluice.catalog.models.gpt.deployments[0].name", "gpt",
                "sluice.catalog.models.gpt.deployments[0].provider", "openai",
                "sluice.catalog.models.gpt.deployments[0].upstream-model", "gpt-4o")));
        assertTrue(refused.getMessage().contains("base-url is required"), refused.getMessage());
    }

    private static ModelCatalog catalog(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("sluice.provider-limits.defaults.openai.requests-per-minute", "60");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s", as Quarkus reads it
                .withMapping(CatalogConfig.class)
                .withMapping(ProviderLimitsConfig.class)
                .build();
        return new ModelCatalog(config.getConfigMapping(CatalogConfig.class),
                config.getConfigMapping(ProviderLimitsConfig.class));
    }
}
