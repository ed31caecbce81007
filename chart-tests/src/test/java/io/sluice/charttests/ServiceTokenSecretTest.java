package io.sluice.charttests;

import static io.sluice.charttests.Chart.env;
import static io.sluice.charttests.Chart.find;
import static io.sluice.charttests.Chart.ofKind;
import static io.sluice.charttests.Chart.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The service token's Secret: made on install, kept across upgrades, rotated when serviceToken.rotation changes, in a
 * way that no call fails while the pods roll. An upgrade is rendered against a live Secret (what Helm's lookup returns
 * from a cluster); what only a live cluster shows (that lookup really returns it, and the pods' order) is in the README.
 */
class ServiceTokenSecretTest {
    private static final String SECRET = "sluice-service-token";
    private static final List<String> RECEIVERS = List.of("orchestrator", "quota", "telemetry");

    /** What the pods of one release state send and accept. */
    record Tokens(String token, String previous, String next) {
        static Tokens of(JsonNode secret) {
            JsonNode data = secret.path("data");
            return new Tokens(decode(data.path("token")), decode(data.path("previous-token")),
                    decode(data.path("next-token")));
        }

        Set<String> accepted() {
            Set<String> accepted = new HashSet<>();
            for (String t : new String[] { token, previous, next }) {
                if (t != null) {
                    accepted.add(t);
                }
            }
            return accepted;
        }
    }

    @Test
    void anInstallMakesARandomCurrentAndNextToken() {
        ObjectNode secret = find(Chart.render(Chart.Values.DEFAULT), "Secret", SECRET);
        Tokens tokens = Tokens.of(secret);
        assertEquals(48, tokens.token().length());
        assertEquals(48, tokens.next().length());
        assertNotEquals(tokens.token(), tokens.next());
        assertNull(tokens.previous(), "nothing to rotate from yet");
        assertEquals("", Chart.annotation(secret, "sluice.io/rotation"));
        assertNotEquals(tokens, Tokens.of(find(Chart.render(Chart.Values.DEFAULT), "Secret", SECRET)),
                "each install gets its own tokens");
    }

    @Test
    void anUpgradeKeepsTheTokensOfTheSameRotation() {
        String live = liveSecret("", "current-token-of-the-cluster", null, "next-token-of-the-cluster");
        List<ObjectNode> upgraded = Chart.renderWithLiveSecret(Chart.Values.DEFAULT, Map.of(), live);
        assertEquals(new Tokens("current-token-of-the-cluster", null, "next-token-of-the-cluster"),
                Tokens.of(find(upgraded, "Secret", SECRET)));
        assertEquals(checksum(RenderedObjectsTest.rendered(Chart.Values.DEFAULT)), checksum(upgraded),
                "an upgrade without a rotation does not roll the pods for it");
    }

    @Test
    void aSecretLeftByAFixedValueGetsItsNextTokenBeforeItsFirstRotation() {
        String live = liveSecret("", "the-fixed-value", null, null);
        Tokens upgraded = Tokens.of(find(Chart.renderWithLiveSecret(Chart.Values.DEFAULT, Map.of(), live), "Secret",
                SECRET));
        assertEquals("the-fixed-value", upgraded.token(), "still sent until a rotation");
        assertEquals(48, upgraded.next().length(), "accepted from now on, sent after the next rotation");
    }

    @Test
    void aNewRotationMovesEveryTokenOnePlaceAndRollsThePods() {
        String live = liveSecret("", "current-token-of-the-cluster", null, "next-token-of-the-cluster");
        List<ObjectNode> rotated = Chart.renderWithLiveSecret(Chart.Values.DEFAULT,
                Map.of("serviceToken.rotation", "2025-07"), live);
        ObjectNode secret = find(rotated, "Secret", SECRET);
        Tokens tokens = Tokens.of(secret);
        assertEquals("current-token-of-the-cluster", tokens.previous());
        assertEquals("next-token-of-the-cluster", tokens.token());
        assertEquals(48, tokens.next().length());
        assertFalse(Set.of("current-token-of-the-cluster", "next-token-of-the-cluster").contains(tokens.next()));
        assertEquals("2025-07", Chart.annotation(secret, "sluice.io/rotation"));
        assertNotEquals(checksum(RenderedObjectsTest.rendered(Chart.Values.DEFAULT)), checksum(rotated),
                "every pod rolls, so that every pod reads the rotated tokens");
    }

    @Test
    void whileThePodsRollEveryTokenSentIsOneEveryPodAccepts() {
        // Install, then three rotations, each rolled out while pods of the state before still run: any gateway (old
        // or new) must be answered by any receiver (old or new).
        Tokens before = Tokens.of(find(Chart.render(Chart.Values.DEFAULT), "Secret", SECRET));
        String liveRotation = "";
        for (String rotation : List.of("r1", "r2", "r3")) {
            String live = liveSecret(liveRotation, before.token(), before.previous(), before.next());
            Tokens after = Tokens.of(find(Chart.renderWithLiveSecret(Chart.Values.DEFAULT,
                    Map.of("serviceToken.rotation", rotation), live), "Secret", SECRET));
            for (Tokens sender : List.of(before, after)) {
                for (Tokens receiver : List.of(before, after)) {
                    assertTrue(receiver.accepted().contains(sender.token()), rotation + ": " + sender + " -> "
                            + receiver);
                }
            }
            assertFalse(after.accepted().contains(before.previous()), rotation + ": a token leaves after two rotations");
            before = after;
            liveRotation = rotation;
        }
    }

    @Test
    void senderAndReceiversReadTheirTokensFromTheSecret() {
        List<ObjectNode> rendered = RenderedObjectsTest.rendered(Chart.Values.DEFAULT);
        Map<String, JsonNode> gateway = env(container(rendered, "gateway"));
        assertSecretKey(gateway.get("SLUICE_SERVICE_TOKEN"), "token", false);
        assertNull(gateway.get("SLUICE_SERVICE_PREVIOUS_TOKEN"), "the gateway only sends");
        for (String receiver : RECEIVERS) {
            Map<String, JsonNode> env = env(container(rendered, receiver));
            assertSecretKey(env.get("SLUICE_SERVICE_TOKEN"), "token", false);
            assertSecretKey(env.get("SLUICE_SERVICE_PREVIOUS_TOKEN"), "previous-token", true);
            assertSecretKey(env.get("SLUICE_SERVICE_NEXT_TOKEN"), "next-token", true);
        }
    }

    @Test
    void anExistingSecretReplacesTheChartsAndTheRotationValueStillRollsThePods() {
        List<ObjectNode> own = Chart.render(Chart.Values.DEFAULT, Map.of("serviceToken.existingSecret", "ops-tokens"));
        assertTrue(ofKind(own, "Secret").stream().noneMatch(s -> Chart.name(s).equals(SECRET)));
        for (String service : List.of("gateway", "orchestrator", "quota", "telemetry")) {
            assertEquals("ops-tokens", env(container(own, service)).get("SLUICE_SERVICE_TOKEN").path("valueFrom")
                    .path("secretKeyRef").path("name").asText());
        }
        assertNotEquals(checksum(own), checksum(Chart.render(Chart.Values.DEFAULT,
                Map.of("serviceToken.existingSecret", "ops-tokens", "serviceToken.rotation", "moved-by-hand"))));
    }

    private static void assertSecretKey(JsonNode variable, String key, boolean optional) {
        JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
        assertEquals(SECRET, ref.path("name").asText(), variable.toString());
        assertEquals(key, ref.path("key").asText(), variable.toString());
        assertEquals(optional, ref.path("optional").asBoolean(false), variable.toString());
    }

    private static JsonNode container(List<ObjectNode> objects, String service) {
        return podSpec(find(objects, "Deployment", "sluice-" + service)).path("containers").get(0);
    }

    private static String checksum(List<ObjectNode> objects) {
        return find(objects, "Deployment", "sluice-quota").path("spec").path("template").path("metadata")
                .path("annotations").path("checksum/service-token").asText();
    }

    /** The Secret as the cluster would hold it after an install or upgrade with {@code rotation}. */
    private static String liveSecret(String rotation, String token, String previous, String next) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + SECRET
                + "\n  annotations:\n    sluice.io/rotation: \"" + rotation + "\"\ndata:\n");
        yaml.append("  token: ").append(encode(token)).append('\n');
        if (previous != null) {
            yaml.append("  previous-token: ").append(encode(previous)).append('\n');
        }
        if (next != null) {
            yaml.append("  next-token: ").append(encode(next)).append('\n');
        }
        return yaml.toString();
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(JsonNode base64) {
        return base64.isMissingNode() || base64.isNull() ? null
                : new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }
}
