package io.sluice.charttests;

import static io.sluice.charttests.Chart.env;
import static io.sluice.charttests.Chart.find;
import static io.sluice.charttests.Chart.ofKind;
import static io.sluice.charttests.Chart.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The services get every setting their application.properties read from the environment, from the right place. */
class ServiceWiringTest {
    private static final Map<String, String> MODULES = Map.of("gateway", "gateway-service",
            "orchestrator", "orchestrator-service", "quota", "quota-service", "telemetry", "telemetry-service");
    /**
     * Read by the services but deliberately left to their defaults (tuning knobs, and the per-service port names:
     * the chart sets QUARKUS_HTTP_PORT and QUARKUS_MANAGEMENT_PORT instead).
     */
    private static final Set<String> LEFT_TO_DEFAULTS = Set.of("GATEWAY_PORT", "ORCHESTRATOR_PORT", "QUOTA_PORT",
            "TELEMETRY_PORT", "GATEWAY_MANAGEMENT_PORT", "ORCHESTRATOR_MANAGEMENT_PORT", "QUOTA_MANAGEMENT_PORT",
            "TELEMETRY_MANAGEMENT_PORT", "REDIS_POOL_SIZE", "REDIS_POOL_WAITING", "DB_POOL_MAX", "SLUICE_REDIS_TIMEOUT",
            "SLUICE_KEYS_ROTATION_GRACE", "PROVIDER_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
            "SLUICE_MEMORY_DB_TIMEOUT", "SLUICE_MEMORY_HOT_TTL", "SLUICE_MEMORY_MIGRATE_RETRY",
            "SLUICE_MEMORY_REDIS_TIMEOUT", "SLUICE_MEMORY_RETENTION_INTERVAL");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private static JsonNode container(Chart.Values values, String service) {
        return podSpec(find(RenderedObjectsTest.rendered(values), "Deployment", "sluice-" + service))
                .path("containers").get(0);
    }

    @ParameterizedTest
    @EnumSource(value = Chart.Values.class, names = {"DEV", "PROD"})
    void everyEnvironmentVariableAServiceReadsIsWired(Chart.Values values) throws IOException {
        for (var entry : MODULES.entrySet()) {
            Path properties = Chart.repoRoot().resolve(entry.getValue()).resolve("src/main/resources/application.properties");
            Set<String> read = Files.readAllLines(properties).stream()
                    .filter(line -> !line.startsWith("%")) // test and dev profiles
                    .flatMap(line -> matches(ENV_REFERENCE.matcher(line)))
                    .filter(name -> !LEFT_TO_DEFAULTS.contains(name))
                    // the built-in simulated catalogue's upstream: production has no simulator to point it at
                    .filter(name -> !(values == Chart.Values.PROD && name.equals("PROVIDER_URL")))
                    .collect(Collectors.toSet());
            Set<String> wired = env(container(values, entry.getKey())).keySet();
            Set<String> missing = read.stream().filter(name -> !wired.contains(name)).collect(Collectors.toSet());
            assertEquals(Set.of(), missing, entry.getKey() + " reads these but the chart does not set them");
        }
    }

    @Test
    void theChartRunsTheImagesTheServicesBuildAs() throws IOException {
        // docker/build-images.sh tags each service's image <registry>/sluice/<module>:<project version>
        String buildScript = Files.readString(Chart.repoRoot().resolve("docker/build-images.sh"));
        assertTrue(buildScript.contains("prefix=\"${REGISTRY:+$REGISTRY/}sluice\""), buildScript);
        for (var entry : MODULES.entrySet()) {
            String image = "sluice/" + entry.getValue();
            assertEquals(image + ":0.1.0-SNAPSHOT", container(Chart.Values.DEFAULT, entry.getKey()).path("image").asText());
            assertEquals("registry.example.com/" + image + ":0.1.0-SNAPSHOT",
                    container(Chart.Values.PROD, entry.getKey()).path("image").asText());
        }
    }

    @Test
    void everyServiceMapsTheClassArchiveItsImageRecords() throws IOException {
        // docker/Dockerfile.jvm records the archive at build time; the chart's JVM options must name the same file.
        String dockerfile = Files.readString(Chart.repoRoot().resolve("docker/Dockerfile.jvm"));
        Matcher recorded = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)").matcher(dockerfile);
        assertTrue(recorded.find(), "Dockerfile.jvm records an AppCDS archive");
        String mapArchive = "-XX:SharedArchiveFile=" + recorded.group(1);
        assertTrue(dockerfile.contains("ENV JAVA_OPTS_APPEND=\"-Djava.util.logging.manager="
                + "org.jboss.logmanager.LogManager " + mapArchive + " "), "the image's default JVM options map it");
        for (Chart.Values values : List.of(Chart.Values.DEFAULT, Chart.Values.PROD)) {
            for (String service : MODULES.keySet()) {
                String javaOpts = env(container(values, service)).get("JAVA_OPTS_APPEND").path("value").asText();
                assertTrue(List.of(javaOpts.split(" ")).contains(mapArchive), service + " maps it: " + javaOpts);
            }
        }
    }

    @Test
    void theGatewayCallsTheOtherServicesByTheirServiceNamesAndPorts() {
        Map<String, JsonNode> env = env(container(Chart.Values.DEFAULT, "gateway"));
        assertEquals("http://sluice-orchestrator:8081", env.get("ORCHESTRATOR_URL").path("value").asText());
        assertEquals("http://sluice-quota:8082", env.get("QUOTA_URL").path("value").asText());
        assertEquals("http://sluice-telemetry:8083", env.get("TELEMETRY_URL").path("value").asText());
        for (String service : MODULES.keySet()) {
            JsonNode svc = find(RenderedObjectsTest.rendered(Chart.Values.DEFAULT), "Service", "sluice-" + service);
            JsonNode container = container(Chart.Values.DEFAULT, service);
            int port = container.path("ports").get(0).path("containerPort").asInt();
            assertEquals(String.valueOf(port), env(container).get("QUARKUS_HTTP_PORT").path("value").asText());
            assertEquals("http", svc.path("spec").path("ports").get(0).path("targetPort").asText());
            assertEquals("management", NetworkAndMonitoringTest.servicePort(svc, "management").path("targetPort")
                    .asText());
        }
    }

    @Test
    void theGatewaysLocalLimiterSharesByTheMostReplicasTheHpaMayRun() {
        assertEquals("2", env(container(Chart.Values.DEFAULT, "gateway")).get("GATEWAY_REPLICAS").path("value").asText());
        assertEquals("12", env(container(Chart.Values.PROD, "gateway")).get("GATEWAY_REPLICAS").path("value").asText());
        assertTrue(find(RenderedObjectsTest.rendered(Chart.Values.PROD), "Deployment", "sluice-gateway")
                .path("spec").path("replicas").isMissingNode(), "the HPA owns the replica count");
    }

    @Test
    void theDevOrchestratorsProviderIsTheInChartSimulator() {
        assertEquals("http://sluice-sim-provider:8090",
                env(container(Chart.Values.DEV, "orchestrator")).get("PROVIDER_URL").path("value").asText());
        find(RenderedObjectsTest.rendered(Chart.Values.DEV), "Service", "sluice-sim-provider");
        assertTrue(ofKind(RenderedObjectsTest.rendered(Chart.Values.PROD), "Deployment").stream()
                .noneMatch(d -> Chart.name(d).contains("sim")), "no simulator in production");
        assertEquals("true", env(container(Chart.Values.DEV, "orchestrator")).get("SLUICE_SIM_MODELS")
                .path("value").asText(), "the sim-* aliases are served where the simulator runs");
        assertEquals("false", env(container(Chart.Values.PROD, "orchestrator")).get("SLUICE_SIM_MODELS")
                .path("value").asText(), "a production catalogue lists only the operator's models");
    }

    @Test
    void theLocalEmbeddingModelIsBuiltInAndCanBeLeftOut() {
        Map<String, JsonNode> env = env(container(Chart.Values.PROD, "orchestrator"));
        assertEquals("true", env.get("SLUICE_LOCAL_EMBEDDINGS").path("value").asText(),
                "local-minilm needs no provider: production catalogues keep it");
        assertEquals("1", env.get("SLUICE_LOCAL_EMBEDDINGS_THREADS").path("value").asText());
        assertEquals("64", env.get("SLUICE_LOCAL_EMBEDDINGS_QUEUE").path("value").asText());
        assertTrue(env.get("DJL_CACHE_DIR").path("value").asText().startsWith("/tmp/"),
                "the tokenizer's native library is unpacked into the writable /tmp");

        JsonNode off = podSpec(find(Chart.render(Chart.Values.DEFAULT, Map.of("orchestrator.localEmbeddings.enabled",
                false)), "Deployment", "sluice-orchestrator")).path("containers").get(0);
        assertEquals("false", env(off).get("SLUICE_LOCAL_EMBEDDINGS").path("value").asText());
        assertFalse(env(off).containsKey("SLUICE_LOCAL_EMBEDDINGS_THREADS"));
    }

    @ParameterizedTest
    @EnumSource(value = Chart.Values.class, names = {"DEV", "PROD"})
    void theServicesThatOwnASchemaGetTheDatabaseAndNoOtherDoes(Chart.Values values) {
        // The orchestrator (schema memory), quota-service and telemetry-service: one database, the same connection
        String host = values == Chart.Values.PROD ? "sluice-db.example.internal" : "sluice-postgresql";
        String secret = values == Chart.Values.PROD ? "sluice-database" : "sluice-postgresql";
        for (String service : List.of("orchestrator", "quota", "telemetry")) {
            Map<String, JsonNode> env = env(container(values, service));
            assertEquals(host, env.get("DB_HOST").path("value").asText(), service);
            assertEquals("5432", env.get("DB_PORT").path("value").asText(), service);
            assertEquals("sluice", env.get("DB_NAME").path("value").asText(), service);
            assertEquals("sluice", env.get("DB_USER").path("value").asText(), service);
            assertSecretRef(env.get("DB_PASSWORD"), secret, "password");
            assertTrue(env.containsKey(MigrationsTest.migrateAtStartVariable(service)), service);
        }
        Map<String, JsonNode> gateway = env(container(values, "gateway"));
        assertTrue(gateway.keySet().stream().noneMatch(name -> name.startsWith("DB_") || name.contains("FLYWAY")),
                "the gateway keeps no durable state: " + gateway.keySet());
    }

    @Test
    void thePriceTableIsOneConfigMapMountedIntoTheGatewayAndTelemetry() {
        List<ObjectNode> prod = RenderedObjectsTest.rendered(Chart.Values.PROD);
        Properties prices = properties(find(prod, "ConfigMap", "sluice-prices"), "prices.properties");
        assertEquals("2.5", prices.getProperty("sluice.prices.models.gpt-4o.input-per-million"));
        assertEquals("275", prices.getProperty("config_ordinal"), "above application.properties, below env");
        for (String service : List.of("gateway", "telemetry")) {
            JsonNode pod = podSpec(find(prod, "Deployment", "sluice-" + service));
            assertTrue(pod.path("volumes").findValuesAsText("name").contains("sluice-prices"), service);
            assertEquals("/deployments/config/prices/prices.properties",
                    env(pod.path("containers").get(0)).get("QUARKUS_CONFIG_LOCATIONS").path("value").asText());
        }
    }

    @Test
    void theCatalogueIsFlattenedIntoTheOrchestratorsPropertyNames() {
        List<ObjectNode> prod = RenderedObjectsTest.rendered(Chart.Values.PROD);
        Properties catalog = properties(find(prod, "ConfigMap", "sluice-catalog"), "catalog.properties");
        assertEquals("https://api.openai.com/v1",
                catalog.getProperty("sluice.catalog.models.gpt-4o.deployments[0].base-url"));
        assertEquals("${OPENAI_API_KEY}", catalog.getProperty("sluice.catalog.models.gpt-4o.deployments[0].api-key"));
        assertEquals("500", catalog.getProperty("sluice.catalog.models.gpt-4o.deployments[0].requests-per-minute"),
                "whole numbers without an exponent");
        assertEquals("claude-sonnet", catalog.getProperty("sluice.catalog.models.gpt-4o.fallbacks"));
        JsonNode orchestrator = container(Chart.Values.PROD, "orchestrator");
        assertEquals("sluice-provider-keys", orchestrator.path("envFrom").get(0).path("secretRef").path("name").asText());
        Properties plans = properties(find(RenderedObjectsTest.rendered(Chart.Values.DEV), "ConfigMap", "sluice-plans"),
                "plans.properties");
        assertEquals("200000", plans.getProperty("sluice.plans.STARTER.tokens-per-day"));
    }

    @Test
    void aChangedConfigurationFileRollsThePods() {
        String before = checksum(RenderedObjectsTest.rendered(Chart.Values.DEFAULT));
        String after = checksum(Chart.render(Chart.Values.DEFAULT,
                Map.of("prices.default.input-per-million", "4")));
        assertFalse(before.equals(after));
    }

    @Test
    void existingSecretsAreUsedInsteadOfChartSecrets() {
        List<ObjectNode> prod = RenderedObjectsTest.rendered(Chart.Values.PROD);
        assertEquals(List.of(), ofKind(prod, "Secret"), "prod names only existing Secrets");
        assertSecretRef(env(container(Chart.Values.PROD, "quota")).get("SLUICE_ADMIN_TOKEN"), "sluice-admin-token", "admin-token");
        assertSecretRef(env(container(Chart.Values.PROD, "orchestrator")).get("SLUICE_ADMIN_TOKEN"), "sluice-admin-token", "admin-token");
        assertSecretRef(env(container(Chart.Values.PROD, "telemetry")).get("DB_PASSWORD"), "sluice-database", "password");
        assertSecretRef(env(container(Chart.Values.PROD, "orchestrator")).get("DB_PASSWORD"), "sluice-database", "password");
        assertSecretRef(env(container(Chart.Values.PROD, "gateway")).get("REDIS_URL"), "sluice-redis", "redis-url");
        for (String service : MODULES.keySet()) {
            assertSecretRef(env(container(Chart.Values.PROD, service)).get("SLUICE_SERVICE_TOKEN"),
                    "sluice-service-token", "token");
        }

        List<ObjectNode> overridden = Chart.render(Chart.Values.DEV, Map.of("adminToken.existingSecret", "ops-token",
                "providerKeys.existingSecret", "ops-keys", "providerKeys.values.OPENAI_API_KEY", "sk-test"));
        assertTrue(ofKind(overridden, "Secret").stream().noneMatch(s -> Chart.name(s).endsWith("admin-token")
                || Chart.name(s).endsWith("provider-keys")), "existingSecret wins over a value");
        JsonNode orchestrator = podSpec(find(overridden, "Deployment", "sluice-orchestrator")).path("containers").get(0);
        assertSecretRef(env(orchestrator).get("SLUICE_ADMIN_TOKEN"), "ops-token", "admin-token");
        assertEquals("ops-keys", orchestrator.path("envFrom").get(0).path("secretRef").path("name").asText());
    }

    @Test
    void chartSecretsHoldTheGivenValues() {
        List<ObjectNode> dev = RenderedObjectsTest.rendered(Chart.Values.DEV);
        ObjectNode token = find(dev, "Secret", "sluice-admin-token");
        assertEquals("dev-admin-token", decode(token.path("data").path("admin-token").asText()));
        assertSecretRef(env(container(Chart.Values.DEV, "quota")).get("SLUICE_ADMIN_TOKEN"), "sluice-admin-token", "admin-token");
        assertNull(env(container(Chart.Values.DEV, "gateway")).get("SLUICE_ADMIN_TOKEN"), "the gateway has no admin API");
        ObjectNode serviceToken = find(dev, "Secret", "sluice-service-token");
        assertEquals("dev-service-token", decode(serviceToken.path("data").path("token").asText()));
    }

    @Test
    void withoutAnAdminTokenTheAdminApisStayClosed() {
        assertNull(env(container(Chart.Values.DEFAULT, "quota")).get("SLUICE_ADMIN_TOKEN"));
        assertTrue(ofKind(RenderedObjectsTest.rendered(Chart.Values.DEFAULT), "Secret").stream()
                .noneMatch(s -> Chart.name(s).endsWith("admin-token")));
    }

    private static void assertSecretRef(JsonNode variable, String secret, String key) {
        JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
        assertEquals(secret, ref.path("name").asText(), variable.toString());
        assertEquals(key, ref.path("key").asText(), variable.toString());
    }

    private static String checksum(List<ObjectNode> objects) {
        return find(objects, "Deployment", "sluice-gateway").path("spec").path("template").path("metadata")
                .path("annotations").path("checksum/config").asText();
    }

    static Properties properties(JsonNode configMap, String key) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(configMap.path("data").path(key).asText()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return properties;
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Stream<String> matches(Matcher matcher) {
        return matcher.results().map(result -> result.group(1));
    }
}
