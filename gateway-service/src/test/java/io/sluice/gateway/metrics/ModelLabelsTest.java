package io.sluice.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ModelLabelsTest {
    private final ModelLabels labels = new ModelLabels(() -> 2);

    @Test
    void aModelBecomesALabelOnlyOnceTheOrchestratorRoutedIt() {
        assertEquals("other", labels.of("sim-gpt", false), "a 429 before any routing: unknown yet");
        assertEquals("sim-gpt", labels.of("sim-gpt", true));
        assertEquals("sim-gpt", labels.of("sim-gpt", false), "known from then on, refusals included");
    }

    @Test
    void whateverAClientTypesStaysOther() {
        for (int i = 0; i < 1_000; i++) {
            assertEquals("other", labels.of("typo-" + i, false));
        }
        assertEquals("other", labels.of(null, false));
    }

    @Test
    void theNumberOfModelLabelsIsCapped() {
        labels.of("a", true);
        labels.of("b", true);
        assertEquals("other", labels.of("c", true), "beyond the configured maximum");
        assertEquals("a", labels.of("a", true));
    }
}
