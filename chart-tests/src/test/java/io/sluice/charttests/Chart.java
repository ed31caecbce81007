package io.sluice.charttests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * The Sluice chart in helm/, rendered and linted with the Helm library embedded by helm-java.
 *
 * <p>helm-java's {@code template} leaves hook objects out of its output (manusa/helm-java#416), but the migration Job,
 * its ConfigMaps and the test pod are hooks. So {@link #render} templates a copy of the chart whose templates spell the
 * hook annotation under another key, and puts the real key back on the parsed objects: what comes out is what
 * {@code helm template} prints, hooks included.
 *
 * <p>{@code helm template} reaches no cluster, so the chart's one {@code lookup} (the live service-token Secret) finds
 * nothing, and every render here is given nothing in its place. {@link #renderWithLiveSecret} renders as an upgrade
 * against a cluster would: the lookup finds a Secret the test gives.
 */
public final class Chart {
    public static final String RELEASE = "sluice";
    static final String HOOK_ANNOTATION = "helm.sh/hook";
    private static final String MASKED_HOOK_ANNOTATION = "chart-tests.sluice.io/hook";
    /** What the lookup finds without a cluster, as {@code helm template} renders. */
    static final String NO_LIVE_SECRET = "{}";
    /** The chart's only lookup, in templates/_helpers.tpl. */
    static final String SERVICE_TOKEN_LOOKUP =
            "lookup \"v1\" \"Secret\" .Release.Namespace (include \"sluice.serviceTokenSecretName\" .)";

    static final ObjectMapper YAML = new YAMLMapper();
    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();

    /** The named values files: "default" is values.yaml alone; "dev" and "prod" are layered over it, as helm does. */
    public enum Values {
        DEFAULT(null), DEV("values-dev.yaml"), PROD("values-prod.yaml");

        private final String file;

        Values(String file) {
            this.file = file;
        }

        public Path file() {
            return file == null ? null : dir().resolve(file);
        }

        public String id() {
            return name().toLowerCase();
        }
    }

    private Chart() {
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
    }

    public static Path dir() {
        return repoRoot().resolve("helm");
    }

    /** Every object {@code helm template} renders for these values, hooks and test pods included. */
    public static List<ObjectNode> render(Values values) {
        return render(values, Map.of());
    }

    /** As {@link #render(Values)} with {@code --set} overrides. */
    public static List<ObjectNode> render(Values values, Map<String, Object> set) {
        return parse(templateOutput(values, set));
    }

    /**
     * As {@link #render(Values, Map)}, as if the cluster already held {@code liveSecret} (a Secret as YAML) as the
     * release's service-token Secret: what {@code helm upgrade} renders.
     */
    public static List<ObjectNode> renderWithLiveSecret(Values values, Map<String, Object> set, String liveSecret) {
        Path copy = copyForTemplate(liveSecret);
        try {
            return parse(template(copy, values, set));
        } finally {
            deleteTree(copy);
        }
    }

    /**
     * Runs {@code template} on a copy of the chart that templates without a cluster (hooks masked, the lookup finding
     * nothing), for tests that call helm-java themselves.
     */
    public static <T> T templatable(Function<Path, T> template) {
        Path copy = copyForTemplate(NO_LIVE_SECRET);
        try {
            return template.apply(copy);
        } finally {
            deleteTree(copy);
        }
    }

    /** {@code helm template} of the chart with the hook key masked; throws with Helm's message when rendering fails. */
    static String templateOutput(Values values, Map<String, Object> set) {
        Path copy = copyForTemplate(NO_LIVE_SECRET);
        try {
            return template(copy, values, set);
        } finally {
            deleteTree(copy);
        }
    }

    private static String template(Path copy, Values values, Map<String, Object> set) {
        TemplateCommand template = new Helm(copy).template().withName(RELEASE);
        if (values.file() != null) {
            template = template.withValuesFile(values.file());
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return template.call();
    }

    /**
     * {@code helm lint --strict} with these values. helm-java's lint takes no values file, so the values file is
     * merged over values.yaml the way Helm merges them and the result linted as a copy of the chart.
     */
    public static LintResult lint(Values values) {
        if (values.file() == null) {
            return new Helm(dir()).lint().strict().call();
        }
        Path copy = copyOf(dir(), false);
        try {
            JsonNode merged = merge(YAML.readTree(dir().resolve("values.yaml").toFile()),
                    YAML.readTree(values.file().toFile()));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(copy);
        }
    }

    /** Helm's coalescing of values: maps merge key by key, anything else in the override wins, null removes. */
    static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode baseObject) || !override.isObject()) {
            return override.deepCopy();
        }
        ObjectNode merged = baseObject.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = override.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                JsonNode existing = merged.get(field.getKey());
                merged.set(field.getKey(), existing == null ? field.getValue().deepCopy()
                        : merge(existing, field.getValue()));
            }
        }
        return merged;
    }

    /** Parses a multi-document YAML stream into its objects (empty documents dropped). */
    public static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = YAML_FACTORY.createParser(yaml)) {
            var documents = YAML.readValues(parser, JsonNode.class);
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode object && object.size() > 0) {
                    unmaskHooks(object);
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static void unmaskHooks(ObjectNode object) {
        JsonNode annotations = object.path("metadata").path("annotations");
        if (annotations instanceof ObjectNode map) {
            Map<String, JsonNode> renamed = new LinkedHashMap<>();
            map.fields().forEachRemaining(e -> renamed.put(
                    e.getKey().replace(MASKED_HOOK_ANNOTATION, HOOK_ANNOTATION), e.getValue()));
            map.removeAll();
            map.setAll(renamed);
        }
    }

    /**
     * A copy of the chart to template: hooks masked, and the lookup replaced by {@code liveSecret}. helm-java's
     * template, unlike the helm CLI's, sends lookups to a cluster (the default kubeconfig's, or localhost:8080), so
     * every render replaces it, with nothing ({@link #NO_LIVE_SECRET}, what {@code helm template} finds) or a Secret.
     */
    private static Path copyForTemplate(String liveSecret) {
        Path copy = copyOf(dir(), true);
        try {
            Path helpers = copy.resolve("templates/_helpers.tpl");
            String text = Files.readString(helpers, StandardCharsets.UTF_8);
            if (!text.contains(SERVICE_TOKEN_LOOKUP)) {
                throw new AssertionError("templates/_helpers.tpl no longer holds the lookup " + SERVICE_TOKEN_LOOKUP);
            }
            Files.writeString(helpers, text.replace(SERVICE_TOKEN_LOOKUP,
                    "include \"chart-tests.live-secret\" . | fromYaml"));
            Files.writeString(copy.resolve("templates/_chart_tests_live_secret.tpl"),
                    "{{- define \"chart-tests.live-secret\" -}}\n" + liveSecret + "\n{{- end -}}\n");
            return copy;
        } catch (IOException e) {
            deleteTree(copy);
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyOf(Path chart, boolean maskHooks) {
        try {
            Path target = Files.createTempDirectory("sluice-chart-").resolve("sluice");
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path source : files.toList()) {
                    Path destination = target.resolve(chart.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    } else if (maskHooks && source.startsWith(chart.resolve("templates"))) {
                        String text = Files.readString(source, StandardCharsets.UTF_8);
                        Files.writeString(destination, text.replace(HOOK_ANNOTATION, MASKED_HOOK_ANNOTATION));
                    } else {
                        Files.copy(source, destination);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path chartCopy) {
        Path root = chartCopy.getParent();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- Small accessors the tests share ----------------------------------------------------------------------

    public static String kind(JsonNode object) {
        return object.path("kind").asText();
    }

    public static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** "Kind/name", how failures name an object. */
    public static String id(JsonNode object) {
        return kind(object) + "/" + name(object);
    }

    public static String annotation(JsonNode object, String key) {
        return object.path("metadata").path("annotations").path(key).asText(null);
    }

    public static boolean isTestHook(JsonNode object) {
        String hook = annotation(object, HOOK_ANNOTATION);
        return hook != null && hook.contains("test");
    }

    public static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind(o).equals(kind)).toList();
    }

    public static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind(o).equals(kind) && name(o).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + objects.stream()
                        .map(Chart::id).toList()));
    }

    /** The pod template of a workload (Deployment, StatefulSet, Job) or the Pod itself. */
    public static JsonNode podSpec(JsonNode object) {
        return kind(object).equals("Pod") ? object.path("spec") : object.path("spec").path("template").path("spec");
    }

    /** A container's environment as name -> EnvVar. */
    public static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable));
        return env;
    }
}
