package io.sluice.charttests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** values.schema.json accepts the shipped values files and refuses values an operator could get wrong. */
class ValuesSchemaTest {

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void acceptsTheShippedValues(Chart.Values values) {
        assertFalse(Chart.render(values).isEmpty());
    }

    @Test
    void refusesAnIngressPathOutsideTheInferenceApi() {
        assertRefused(Map.of("ingress.paths[0]", "/admin/tenants"), "/ingress/paths/0");
        assertRefused(Map.of("ingress.paths[0]", "/v1/../q/metrics"), "/ingress/paths/0");
        assertRefused(Map.of("ingress.paths[0]", "/v1/internal/keys"), "/ingress/paths/0");
    }

    @Test
    void refusesWrongTypesUnknownKeysAndUnknownModes() {
        assertRefused(Map.of("gateway.replicaCount", "two"), "/gateway/replicaCount");
        assertRefused(Map.of("gatewy.enabled", "true"), "gatewy");
        assertRefused(Map.of("migrations.mode", "sometimes"), "/migrations/mode");
        assertRefused(Map.of("gateway.quotaRedisFailurePolicy", "maybe"), "/gateway/quotaRedisFailurePolicy");
    }

    @Test
    void refusesAServiceWithoutAHeapBound() {
        assertRefused(Map.of("quota.javaOpts", "-XX:+UseSerialGC"), "/quota/javaOpts");
    }

    private static void assertRefused(Map<String, Object> set, String where) {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Chart.render(Chart.Values.DEFAULT, set));
        assertTrue(refused.getMessage().contains("schema"), refused.getMessage());
        assertTrue(refused.getMessage().contains(where), refused.getMessage());
    }
}
