package io.sluice.charttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * k8s/ is generated from the chart, and this test proves that {@code kubectl kustomize k8s/overlays/<env>} renders
 * exactly what {@code helm template} renders with values-<env>.yaml (helm test pods left out: kubectl users have no
 * {@code helm test}). Objects identical in both environments form k8s/base; each overlay adds the rest.
 *
 * <p>Regenerate after changing the chart: {@code k8s/render.sh} (runs this test with
 * {@code -Dsluice.k8s.regenerate=true}).
 */
class KustomizeOverlaysTest {
    enum Overlay {
        DEV(Chart.Values.DEV), PROD(Chart.Values.PROD);

        final Chart.Values values;

        Overlay(Chart.Values values) {
            this.values = values;
        }

        String dir() {
            return name().toLowerCase();
        }
    }

    /** Readable output: quotes only where YAML needs them, multi-line strings (the config files) as blocks. */
    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();
    private static final String HEADER = "# GENERATED from the Helm chart in helm/ by k8s/render.sh: do not edit.\n";

    @BeforeAll
    static void regenerateWhenAsked() throws IOException {
        if (Boolean.getBoolean("sluice.k8s.regenerate")) {
            write(Chart.repoRoot().resolve("k8s"));
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theOverlayRendersExactlyWhatTheChartRenders(Overlay overlay) {
        Map<String, JsonNode> fromKustomize = byId(Chart.parse(kustomize(overlay)));
        Map<String, JsonNode> fromHelm = byId(manifests(overlay));
        assertEquals(fromHelm.keySet(), fromKustomize.keySet(),
                "k8s/overlays/" + overlay.dir() + " holds other objects than the chart renders: run k8s/render.sh");
        List<String> different = fromHelm.keySet().stream()
                .filter(id -> !fromHelm.get(id).equals(fromKustomize.get(id))).toList();
        assertEquals(List.of(), different,
                "k8s/overlays/" + overlay.dir() + " differs from the chart in these objects: run k8s/render.sh");
        assertTrue(fromHelm.size() > 10);
    }

    /** What kubectl users get for an environment: the chart's objects without helm test hooks. */
    private static List<ObjectNode> manifests(Overlay overlay) {
        return Chart.render(overlay.values).stream().filter(o -> !Chart.isTestHook(o)).toList();
    }

    private static Map<String, JsonNode> byId(List<ObjectNode> objects) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (ObjectNode object : objects) {
            String id = object.path("apiVersion").asText() + " " + Chart.id(object);
            if (byId.put(id, object) != null) {
                throw new AssertionError("two objects " + id);
            }
        }
        return byId;
    }

    private static String kustomize(Overlay overlay) {
        Path dir = Chart.repoRoot().resolve("k8s/overlays").resolve(overlay.dir());
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl is needed for this test (/usr/bin/kubectl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes k8s/base (objects identical in every environment) and k8s/overlays/<env> (the rest). */
    static void write(Path k8s) throws IOException {
        Map<Overlay, Map<String, JsonNode>> rendered = new LinkedHashMap<>();
        for (Overlay overlay : Overlay.values()) {
            rendered.put(overlay, byId(manifests(overlay)));
        }
        Map<String, JsonNode> first = rendered.get(Overlay.DEV);
        List<String> common = first.keySet().stream()
                .filter(id -> rendered.values().stream().allMatch(env -> first.get(id).equals(env.get(id))))
                .toList();
        deleteYaml(k8s.resolve("base"));
        writeObjects(k8s.resolve("base/sluice.yaml"), common.stream().map(first::get).toList());
        Files.writeString(k8s.resolve("base/kustomization.yaml"), HEADER
                + "# The objects the chart renders identically for every environment.\n"
                + "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - sluice.yaml\n");
        for (var entry : rendered.entrySet()) {
            Path dir = k8s.resolve("overlays").resolve(entry.getKey().dir());
            deleteYaml(dir);
            List<JsonNode> own = entry.getValue().entrySet().stream().filter(e -> !common.contains(e.getKey()))
                    .map(Map.Entry::getValue).collect(Collectors.toList());
            writeObjects(dir.resolve("sluice-" + entry.getKey().dir() + ".yaml"), own);
            Files.writeString(dir.resolve("kustomization.yaml"), HEADER
                    + "# helm template with helm/" + entry.getKey().values.file().getFileName() + "; apply with\n"
                    + "#   kubectl apply -n <namespace> -k k8s/overlays/" + entry.getKey().dir() + "\n"
                    + "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
                    + "  - ../../base\n  - sluice-" + entry.getKey().dir() + ".yaml\n");
        }
    }

    private static void writeObjects(Path file, List<JsonNode> objects) throws IOException {
        Files.createDirectories(file.getParent());
        List<JsonNode> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing((JsonNode o) -> Chart.kind(o)).thenComparing(Chart::name));
        StringBuilder yaml = new StringBuilder(HEADER);
        for (JsonNode object : sorted) {
            yaml.append(WRITER.writeValueAsString(object));
        }
        Files.writeString(file, yaml.toString());
    }

    private static void deleteYaml(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
