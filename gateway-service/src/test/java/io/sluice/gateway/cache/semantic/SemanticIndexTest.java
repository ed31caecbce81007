package io.sluice.gateway.cache.semantic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.TimeoutException;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * Two replicas' indexes over one real Redis: what one replica logs, the other finds at its next search, only within
 * the question's partition; a replica started afterwards rebuilds its index from the log, however long.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SemanticIndexTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    QuestionLog log;

    private final Random random = new Random(19);

    @Test
    void aQuestionLoggedThroughOneReplicaIsFoundByAnotherInItsPartitionOnly() {
        String tenant = "t-" + UUID.randomUUID();
        SemanticIndex first = new SemanticIndex(log, SemanticSettings.DEFAULTS, new SimpleMeterRegistry());
        SemanticIndex second = new SemanticIndex(log, SemanticSettings.DEFAULTS, new SimpleMeterRegistry());
        try {
            QuantizedVector asked = QuantizedVector.of(unitVector());
            // both replicas have searched the tenant before: the second must read the log again, not only once
            assertTrue(first.nearest(tenant, "default/-/ctx", asked, 4).await().atMost(WAIT).isEmpty());
            assertTrue(second.nearest(tenant, "default/-/ctx", asked, 4).await().atMost(WAIT).isEmpty());

            log.append(tenant, new StoredQuestion("default/-/m1", "default/-/ctx", "What is the capital of France?",
                    asked)).await().atMost(WAIT);
            log.append(tenant, new StoredQuestion("default/-/m2", "default/-/other", "Unrelated", asked))
                    .await().atMost(WAIT);

            List<SemanticIndex.Candidate> found = second.nearest(tenant, "default/-/ctx", asked, 4)
                    .await().atMost(WAIT);
            assertEquals(1, found.size(), "only the question of the same partition");
            assertEquals("default/-/m1", found.get(0).question().member());
            assertEquals("What is the capital of France?", found.get(0).question().question());
            assertEquals(1.0, found.get(0).similarity(), 1e-3);
            assertArrayEquals(asked.values(), found.get(0).question().vector().values());

            second.forget(tenant, "default/-/m1");
            await().atMost(WAIT).until(() -> second.nearest(tenant, "default/-/ctx", asked, 4).await().atMost(WAIT)
                    .isEmpty());
            assertEquals(1, first.nearest(tenant, "default/-/ctx", asked, 4).await().atMost(WAIT).size(),
                    "forgetting is one replica's own");
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aRestartedReplicaRebuildsItsIndexFromTheLog() {
        String tenant = "t-" + UUID.randomUUID();
        int questions = SemanticIndex.PAGE * 2 + 500;
        QuantizedVector last = null;
        for (int i = 0; i < questions; i++) {
            last = QuantizedVector.of(unitVector());
            log.append(tenant, new StoredQuestion("default/-/m" + i, "default/-/ctx", "question " + i, last))
                    .await().atMost(WAIT);
        }
        QuantizedVector newest = last;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SemanticIndex restarted = new SemanticIndex(log, SemanticSettings.DEFAULTS, registry);
        try {
            // One lookup starts the reading and gives up waiting at once (as at its timeout); the whole log is read
            // all the same, without further lookups.
            assertThrows(TimeoutException.class, () -> restarted.nearest(tenant, "default/-/ctx", newest, 1)
                    .ifNoItem().after(Duration.ofMillis(1)).fail().await().atMost(WAIT));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    registry.get("sluice_cache_semantic_questions").gauge().value() >= questions);
            List<SemanticIndex.Candidate> found = restarted.nearest(tenant, "default/-/ctx", newest, 1)
                    .await().atMost(WAIT);
            assertEquals(List.of("default/-/m" + (questions - 1)),
                    found.stream().map(candidate -> candidate.question().member()).toList());
        } finally {
            restarted.close();
        }
    }

    private float[] unitVector() {
        float[] vector = new float[384];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }
}
