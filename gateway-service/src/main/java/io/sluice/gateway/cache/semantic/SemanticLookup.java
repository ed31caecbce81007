package io.sluice.gateway.cache.semantic;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The semantic half of a lookup: embeds the asked question, finds the nearest stored question of the same context
 * in the tenant's index and lets the {@link RephrasingRule} judge it; and, once an answer is stored, records its
 * question for every replica. Only the nearest is judged: when a closer question is a near miss (another number,
 * name, negation), a farther one that passes is more likely a related question than a rephrasing. The exact entry
 * behind it is read by the caller.
 */
@ApplicationScoped
public class SemanticLookup {
    private final QuestionEmbedder embedder;
    private final SemanticIndex index;
    private final QuestionLog log;
    private final RephrasingRule rule;
    private final int candidates;

    public SemanticLookup(QuestionEmbedder embedder, SemanticIndex index, QuestionLog log,
            SemanticCacheConfig config) {
        this.embedder = embedder;
        this.index = index;
        this.log = log;
        this.rule = RephrasingRule.withThreshold(config.threshold().orElse(RephrasingRule.DEFAULT_THRESHOLD));
        this.candidates = config.candidates();
    }

    /**
     * What a lookup found: the member of the stored question the asked one rephrases (none, or one), and the asked
     * question's embedding, which storing its answer reuses.
     */
    public record Match(List<String> members, float[] asked) {
    }

    /**
     * @param partition {@link #partition} of the request
     */
    public Uni<Match> find(String tenantId, String partition, String question) {
        return embedder.embed(question).flatMap(asked -> {
            EmbeddedQuestion askedQuestion = EmbeddedQuestion.of(question, QuantizedVector.of(asked).floats());
            return index.nearest(tenantId, partition, QuantizedVector.of(asked), candidates)
                    .map(found -> new Match(found.stream().limit(1)
                            .filter(nearest -> rule.mayAnswer(EmbeddedQuestion.of(nearest.question().question(),
                                    nearest.question().vector().floats()), askedQuestion))
                            .map(nearest -> nearest.question().member())
                            .toList(), asked));
        });
    }

    /**
     * Records a stored answer's question, so that every replica's index finds it; embeds it first when the request
     * was not looked up (a refresh). In the background: a failure costs a future hit, never the client's answer.
     */
    public void remember(String tenantId, String member, String partition, String question, float[] askedOrNull) {
        Uni<float[]> vector = askedOrNull != null ? Uni.createFrom().item(askedOrNull) : embedder.embed(question);
        vector.flatMap(asked -> log.append(tenantId, new StoredQuestion(member, partition, question,
                        QuantizedVector.of(asked))))
                .subscribe().with(done -> {
                }, failure -> Log.debugf("semantic cache: a question was not recorded: %s", failure.toString()));
    }

    /** A candidate whose entry is gone (expired, evicted, cleared) leaves this replica's index. */
    public void forget(String tenantId, String member) {
        index.forget(tenantId, member);
    }

    /** Where a request's question is compared: its namespace and scope, and the hash of its context. */
    public static String partition(String namespace, String scope, String contextSha256) {
        return namespace + "/" + scope + "/" + contextSha256;
    }
}
