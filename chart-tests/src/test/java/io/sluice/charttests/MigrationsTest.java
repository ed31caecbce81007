package io.sluice.charttests;

import static io.sluice.charttests.Chart.annotation;
import static io.sluice.charttests.Chart.env;
import static io.sluice.charttests.Chart.find;
import static io.sluice.charttests.Chart.ofKind;
import static io.sluice.charttests.Chart.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Flyway runs once per schema in a pre-install/pre-upgrade hook, with exactly the SQL the services ship. */
class MigrationsTest {
    /** Schema -> the module that owns it (and ships its migrations). */
    private static final Map<String, String> OWNERS = Map.of("memory", "orchestrator-service", "quota", "quota-service",
            "telemetry", "telemetry-service");
    /** Schema -> the component whose Deployment owns it. */
    private static final Map<String, String> SERVICES = Map.of("memory", "orchestrator", "quota", "quota",
            "telemetry", "telemetry");

    @Test
    void theMigrationJobIsAPreInstallAndPreUpgradeHook() {
        ObjectNode job = find(RenderedObjectsTest.rendered(Chart.Values.PROD), "Job", "sluice-migrations");
        assertEquals("pre-install,pre-upgrade", annotation(job, "helm.sh/hook"));
        assertTrue(annotation(job, "helm.sh/hook-delete-policy").contains("before-hook-creation"));
        for (String schema : OWNERS.keySet()) {
            ObjectNode sql = find(RenderedObjectsTest.rendered(Chart.Values.PROD), "ConfigMap", "sluice-migrations-" + schema);
            assertEquals("pre-install,pre-upgrade", annotation(sql, "helm.sh/hook"));
            assertTrue(Integer.parseInt(annotation(sql, "helm.sh/hook-weight"))
                    < Integer.parseInt(annotation(job, "helm.sh/hook-weight")), "the SQL exists before the Job");
        }
    }

    @Test
    void eachSchemaIsMigratedWithTheServicesOwnFlywaySettings() {
        JsonNode pod = podSpec(find(RenderedObjectsTest.rendered(Chart.Values.PROD), "Job", "sluice-migrations"));
        List<JsonNode> steps = RenderedObjectsTest.containers(pod).toList();
        assertEquals(List.of("migrate-memory", "migrate-quota", "migrate-telemetry"),
                steps.stream().map(c -> c.path("name").asText()).toList());
        for (JsonNode step : steps) {
            String schema = step.path("name").asText().substring("migrate-".length());
            Map<String, JsonNode> env = env(step);
            assertEquals(schema, env.get("FLYWAY_SCHEMAS").path("value").asText());
            assertEquals(schema, env.get("FLYWAY_DEFAULT_SCHEMA").path("value").asText());
            assertEquals("jdbc:postgresql://$(DB_HOST):$(DB_PORT)/$(DB_NAME)", env.get("FLYWAY_URL").path("value").asText());
            assertEquals("sluice-db.example.internal", env.get("DB_HOST").path("value").asText());
            assertEquals("sluice-database", env.get("DB_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText());
            assertEquals("[\"migrate\"]", step.path("args").toString());
            assertEquals("filesystem:/flyway/migrations/" + schema, env.get("FLYWAY_LOCATIONS").path("value").asText());
            assertTrue(pod.path("volumes").findValuesAsText("name").contains("sluice-migrations-" + schema), schema);
        }
    }

    @Test
    void everyModuleThatShipsMigrationsHasItsSchemaMigratedByTheHook() throws IOException {
        // A service that adds db/migration must be declared a schema owner in sluice.componentTraits
        try (Stream<Path> modules = Files.list(Chart.repoRoot())) {
            List<String> shipping = modules.filter(m -> Files.isDirectory(m.resolve("src/main/resources/db/migration")))
                    .map(m -> m.getFileName().toString()).sorted().toList();
            assertEquals(OWNERS.values().stream().sorted().toList(), shipping);
        }
        List<String> configMaps = ofKind(RenderedObjectsTest.rendered(Chart.Values.PROD), "ConfigMap").stream()
                .map(Chart::name).filter(name -> name.startsWith("sluice-migrations-")).sorted().toList();
        assertEquals(OWNERS.keySet().stream().sorted().map(schema -> "sluice-migrations-" + schema).toList(), configMaps);
    }

    @Test
    void theChartsSqlIsTheServicesSql() throws IOException {
        for (var owner : OWNERS.entrySet()) {
            Map<String, String> shipped = sqlFiles(Chart.repoRoot().resolve(owner.getValue())
                    .resolve("src/main/resources/db/migration"));
            ObjectNode configMap = find(RenderedObjectsTest.rendered(Chart.Values.PROD), "ConfigMap",
                    "sluice-migrations-" + owner.getKey());
            Map<String, String> inChart = new TreeMap<>();
            configMap.path("data").fields().forEachRemaining(e -> inChart.put(e.getKey(), e.getValue().asText()));
            assertEquals(shipped, inChart, owner.getValue() + "'s migrations differ from the chart's copy: run "
                    + "helm/hack/sync-migrations.sh");
        }
    }

    @Test
    void servicesMigrateAtStartUpOnlyWhenNoHookDoes() {
        for (String service : SERVICES.values()) {
            assertEquals("false", migrateAtStart(Chart.Values.PROD, service), service + " with the hook");
            assertEquals("true", migrateAtStart(Chart.Values.DEV, service), service + " without the hook");
        }
        assertTrue(ofKind(RenderedObjectsTest.rendered(Chart.Values.DEV), "Job").isEmpty(), "no hook in startup mode");
    }

    @Test
    void aHookCannotWaitForTheInChartDatabase() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Chart.render(Chart.Values.DEV, Map.of("migrations.mode", "hook")));
        assertTrue(refused.getMessage().contains("migrations.mode=hook"), refused.getMessage());
    }

    private static String migrateAtStart(Chart.Values values, String service) {
        JsonNode container = podSpec(find(RenderedObjectsTest.rendered(values), "Deployment", "sluice-" + service))
                .path("containers").get(0);
        return env(container).get(migrateAtStartVariable(service)).path("value").asText();
    }

    /** The orchestrator migrates with its own retrying migrator, switched by its own variable. */
    static String migrateAtStartVariable(String service) {
        return "orchestrator".equals(service) ? "SLUICE_MEMORY_MIGRATE_AT_START" : "QUARKUS_FLYWAY_MIGRATE_AT_START";
    }

    private static Map<String, String> sqlFiles(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> sql = Files.list(dir)) {
            for (Path file : sql.filter(p -> p.toString().endsWith(".sql")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }
}
