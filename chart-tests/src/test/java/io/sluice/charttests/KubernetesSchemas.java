package io.sluice.charttests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * JSON schemas of Kubernetes kinds and of the prometheus-operator CRDs, read offline from the fabric8 model jars on
 * the test classpath (each ships {@code schema/validation-schema.json}), validated with networknt's validator.
 *
 * <p>fabric8 generates these schemas from the Go types for its Java model, so they are loosened in two ways that a
 * manifest check must undo: every object allows unknown properties (made strict here, as kubeconform's "strict"
 * schemas are, so a misspelt or misplaced field fails), and the two types with a custom JSON form (IntOrString,
 * Quantity) are described by their Go fields (replaced here by their JSON form). The Java-only keywords are dropped.
 */
public final class KubernetesSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> JAVA_KEYWORDS =
            List.of("existingJavaType", "javaType", "javaInterfaces", "javaOmitEmpty", "javaEnumNames");

    private final ObjectNode definitions = NODES.objectNode();
    /** "apiVersion kind" -> definition name. */
    private final Map<String, String> kinds = new HashMap<>();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private static final KubernetesSchemas INSTANCE = new KubernetesSchemas();

    public static KubernetesSchemas get() {
        return INSTANCE;
    }

    private KubernetesSchemas() {
        try {
            for (URL url : Collections.list(getClass().getClassLoader().getResources("schema/validation-schema.json"))) {
                try (InputStream in = url.openStream()) {
                    JSON.readTree(in).path("definitions").fields().forEachRemaining(d -> {
                        if (!definitions.has(d.getKey())) {
                            definitions.set(d.getKey(), d.getValue());
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (definitions.isEmpty()) {
            throw new IllegalStateException("no schema/validation-schema.json on the classpath (fabric8 model jars)");
        }
        definitions.fields().forEachRemaining(d -> {
            JsonNode properties = d.getValue().path("properties");
            String apiVersion = properties.path("apiVersion").path("default").asText("");
            String kind = properties.path("kind").path("default").asText("");
            if (!apiVersion.isEmpty() && !kind.isEmpty()) {
                kinds.putIfAbsent(apiVersion + " " + kind, d.getKey());
            }
        });
        definitions.fields().forEachRemaining(d -> {
            String name = d.getKey();
            if (name.endsWith("IntOrString")) {
                d.setValue(anyOfTypes("integer", "string"));
            } else if (name.endsWith("_Quantity")) {
                d.setValue(anyOfTypes("string", "number"));
            } else {
                tighten(d.getValue());
            }
        });
    }

    /** Whether a schema for this apiVersion and kind is known. */
    public boolean knows(String apiVersion, String kind) {
        return kinds.containsKey(apiVersion + " " + kind);
    }

    /** The schema violations of one object; empty when it is valid. Fails for a kind without a schema. */
    public Set<ValidationMessage> validate(JsonNode object) {
        String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        String definition = kinds.get(key);
        if (definition == null) {
            throw new AssertionError("no Kubernetes schema for " + key);
        }
        JsonSchema schema = compiled.computeIfAbsent(definition, name -> {
            ObjectNode root = NODES.objectNode();
            root.put("$schema", "http://json-schema.org/draft-07/schema#");
            root.put("$ref", "#/definitions/" + name);
            root.set("definitions", definitions);
            return factory.getSchema(root);
        });
        return schema.validate(object);
    }

    private static ObjectNode anyOfTypes(String... types) {
        ObjectNode schema = NODES.objectNode();
        ArrayNode list = schema.putArray("type");
        for (String type : types) {
            list.add(type);
        }
        return schema;
    }

    /** Strict objects, no Java-only keywords, no draft-3 boolean "required". */
    private static void tighten(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JAVA_KEYWORDS.forEach(object::remove);
            if (object.path("required").isBoolean()) {
                object.remove("required");
            }
            if (object.has("properties") && !object.path("additionalProperties").isObject()) {
                object.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
                tighten(children.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(KubernetesSchemas::tighten);
        }
    }
}
