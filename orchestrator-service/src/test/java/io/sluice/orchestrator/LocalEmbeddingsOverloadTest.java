package io.sluice.orchestrator;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sluice.orchestrator.embedding.LocalEmbeddingModel;
import io.sluice.orchestrator.embedding.WorkerPool;

/**
 * A full worker queue answers 503 at once, with retry-after, as the other overload paths do; the pool is one worker
 * and one queue place here, held by tasks that wait on latches (no sleeps).
 */
@QuarkusTest
@TestProfile(LocalEmbeddingsOverloadTest.TinyPool.class)
class LocalEmbeddingsOverloadTest extends SimProviderTest {

    public static class TinyPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.local-embeddings.worker-threads", "1", "sluice.local-embeddings.queue-size", "1");
        }
    }

    @Inject
    LocalEmbeddingModel model;

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws InterruptedException {
        await().atMost(Duration.ofSeconds(60)).until(() -> model.state() == LocalEmbeddingModel.State.READY);
        WorkerPool workers = model.workers();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        workers.submit(() -> {
            running.countDown();
            return release.await(60, TimeUnit.SECONDS);
        }).subscribe().with(done -> {
        });
        try {
            running.await(30, TimeUnit.SECONDS);
            // The one queue place: the request after it finds the queue full.
            workers.submit(() -> true).subscribe().with(done -> {
            });
            assertEquals(1, workers.queued());

            embed().then()
                    .statusCode(503)
                    .header("retry-after", "1")
                    .body("error.code", equalTo("overloaded"))
                    .body("error.type", equalTo("server_error"));
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.queued() == 0 && workers.active() == 0);
        embed().then().statusCode(200).body("data[0].embedding.size()", equalTo(384));
    }

    private static Response embed() {
        return asGateway().contentType(ContentType.JSON)
                .body("{\"model\":\"local-minilm\",\"input\":\"How do I reset my password?\"}")
                .post("/v1/embeddings");
    }
}
