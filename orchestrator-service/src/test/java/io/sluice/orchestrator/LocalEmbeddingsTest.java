package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The built-in embedding model (local-minilm) through the orchestrator's /v1/embeddings, as the gateway calls it. */
@QuarkusTest
class LocalEmbeddingsTest extends SimProviderTest {

    private static final String RESET = "How do I reset my password?";
    private static final String FORGOT = "I forgot my password, how can I change it?";
    private static final String WEATHER = "What is the weather in Paris?";

    @Test
    void answersInOpenAiFormatWithUnitVectorsOf384Dimensions() {
        Response answer = embed(new JsonObject().put("model", "local-minilm").put("input", RESET)).then()
                .statusCode(200)
                .header("x-sluice-provider", "local-embeddings")
                .header("x-sluice-deployment", "local-minilm")
                .header("x-sluice-model", "local-minilm")
                .body("object", equalTo("list"))
                .body("model", equalTo("local-minilm"))
                .body("data.size()", equalTo(1))
                .body("data[0].object", equalTo("embedding"))
                .body("data[0].index", equalTo(0))
                .extract().response();
        JsonObject body = new JsonObject(answer.asString());
        float[] vector = vectors(answer).get(0);
        assertEquals(384, vector.length);
        assertEquals(1.0, Math.sqrt(dot(vector, vector)), 1e-4, "all-MiniLM-L6-v2 vectors are normalised");
        // "how do i reset my password ?": 7 WordPiece tokens, [CLS] and [SEP] not counted
        JsonObject usage = body.getJsonObject("usage");
        assertEquals(7, usage.getInteger("prompt_tokens"));
        assertEquals(7, usage.getInteger("total_tokens"));
        assertEquals("7,0,0", answer.header("x-sluice-usage"));
    }

    @Test
    void similarQuestionsAreCloserThanUnrelatedOnes() {
        List<float[]> vectors = vectors(embed(new JsonObject().put("model", "local-minilm")
                .put("input", new JsonArray().add(RESET).add(FORGOT).add(WEATHER))).then().statusCode(200)
                .extract().response());
        double similar = dot(vectors.get(0), vectors.get(1));
        double unrelated = dot(vectors.get(0), vectors.get(2));
        assertTrue(similar > 0.7, "similar: " + similar);
        assertTrue(unrelated < 0.3, "unrelated: " + unrelated);
        assertTrue(similar > unrelated + 0.4, similar + " vs " + unrelated);
    }

    @Test
    void base64DecodesToTheSameFloats() {
        JsonObject request = new JsonObject().put("model", "local-minilm").put("input", FORGOT);
        float[] floats = vectors(embed(request.copy().put("encoding_format", "float")).then().statusCode(200)
                .extract().response()).get(0);
        String encoded = embed(request.copy().put("encoding_format", "base64")).then().statusCode(200)
                .extract().jsonPath().getString("data[0].embedding");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(decoded);
        assertArrayEquals(floats, decoded);
    }

    @Test
    void aBatchKeepsTheInputOrder() {
        List<String> texts = List.of(WEATHER, RESET, "Bonjour", FORGOT, "The quick brown fox jumps over the lazy dog.");
        Response batch = embed(new JsonObject().put("model", "local-minilm").put("input", new JsonArray(texts)))
                .then().statusCode(200).body("data.index", equalTo(List.of(0, 1, 2, 3, 4))).extract().response();
        List<float[]> vectors = vectors(batch);
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            Response one = embed(new JsonObject().put("model", "local-minilm").put("input", texts.get(i))).then()
                    .statusCode(200).extract().response();
            assertArrayEquals(vectors(one).get(0), vectors.get(i), "input " + i);
            tokens += one.jsonPath().getInt("usage.prompt_tokens");
        }
        assertEquals(tokens, batch.jsonPath().getInt("usage.prompt_tokens"));
    }

    @Test
    void theModelsOwnDimensionsMayBeAskedFor() {
        embed(new JsonObject().put("model", "local-minilm").put("input", RESET).put("dimensions", 384)).then()
                .statusCode(200).body("data[0].embedding.size()", equalTo(384));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"input\":\"a\",\"dimensions\":256}                    | dimensions      | invalid_value",
        "{\"input\":\"a\",\"dimensions\":\"384\"}                | dimensions      | invalid_type",
        "{\"input\":\"a\",\"encoding_format\":\"hex\"}           | encoding_format | invalid_value",
        "{\"input\":\"a\",\"encoding_format\":1}                 | encoding_format | invalid_type",
        "{}                                                     | input           | missing_required_parameter",
        "{\"input\":42}                                         | input           | invalid_type",
        "{\"input\":[]}                                         | input           | invalid_value",
        "{\"input\":[1,2,3]}                                    | input           | invalid_value",
        "{\"input\":[[1,2],[3]]}                                | input           | invalid_value",
        "{\"input\":[\"a\",{\"text\":\"b\"}]}                   | input[1]        | invalid_type",
        "{\"input\":[\"a\",\" \\t \"]}                          | input[1]        | invalid_value",
        "{\"input\":\"\"}                                       | input           | invalid_value",
        // nothing the tokenizer keeps: found by the model on its worker, still the client's 400
        "{\"input\":[\"a\",\"\\u200b\"]}                         | input[1]        | invalid_value",
    })
    void invalidRequestsAreRefusedNamingTheField(String json, String param, String code) {
        JsonObject request = new JsonObject(json).put("model", "local-minilm");
        embed(request).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param))
                .body("error.code", equalTo(code));
    }

    @Test
    void requestsBeyondTheInputBoundsAreRefused() {
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 257; i++) {
            tooMany.add("text " + i);
        }
        embed(new JsonObject().put("model", "local-minilm").put("input", tooMany)).then().statusCode(400)
                .body("error.param", equalTo("input")).body("error.message", containsString("256"));
        embed(new JsonObject().put("model", "local-minilm").put("input", "x".repeat(131_073))).then()
                .statusCode(400).body("error.param", equalTo("input"))
                .body("error.message", containsString("131072"));
    }

    @Test
    void chatRequestsAreRefusedClearly() {
        asGateway().contentType(ContentType.JSON)
                .body("{\"model\":\"local-minilm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("model_not_chat"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("/v1/embeddings"));
    }

    @Test
    void readinessAndMetricsShowTheModel() {
        embed(new JsonObject().put("model", "local-minilm").put("input", RESET)).then().statusCode(200);
        given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'upstream' }.data.'local:all-minilm-l6-v2-q'", equalTo("ready"));
        given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200)
                .body(containsString("sluice_upstream_requests_total{deployment=\"local-minilm\""))
                .body(containsString("sluice_local_embeddings_queued"));
    }

    private static Response embed(JsonObject request) {
        return asGateway().contentType(ContentType.JSON).body(request.encode()).post("/v1/embeddings");
    }

    /** The vectors read as floats (JSON numbers straight to float, as the SDKs read them: no double rounding). */
    private static List<float[]> vectors(Response answer) {
        List<List<Number>> data = answer.jsonPath().getList("data.embedding");
        return data.stream().map(values -> {
            float[] floats = new float[values.size()];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = Float.parseFloat(values.get(i).toString());
            }
            return floats;
        }).toList();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
