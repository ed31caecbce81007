package io.sluice.gateway.cache.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.cache.CacheKeys;
import io.vertx.mutiny.redis.client.Response;

/**
 * The questions of a tenant's semantic entries, in a Redis stream ({@link CacheKeys#vectors}) bounded to the newest
 * {@code max-questions-per-tenant}: the shared truth from which each gateway replica builds its own vector index,
 * and rebuilds it after a restart.
 */
@ApplicationScoped
public class QuestionLog {
    private final ReactiveRedisDataSource redis;
    private final String maxLength;

    public QuestionLog(ReactiveRedisDataSource redis, SemanticCacheConfig config) {
        this.redis = redis;
        this.maxLength = Integer.toString(config.maxQuestionsPerTenant());
    }

    /** One stream entry: its id (the position a replica has read to) and the question. */
    public record Entry(String id, StoredQuestion question) {
    }

    public Uni<Void> append(String tenantId, StoredQuestion question) {
        return redis.execute("XADD", CacheKeys.vectors(tenantId), "MAXLEN", "~", maxLength, "*",
                "m", question.member(), "p", question.partition(), "q", question.question(),
                "v", question.vector().base64()).replaceWithVoid();
    }

    /** Up to {@code count} questions after the entry {@code afterId} (null: from the start), oldest first. */
    public Uni<List<Entry>> after(String tenantId, String afterId, int count) {
        return redis.execute("XRANGE", CacheKeys.vectors(tenantId), afterId == null ? "-" : "(" + afterId, "+",
                "COUNT", Integer.toString(count)).map(QuestionLog::entries);
    }

    private static List<Entry> entries(Response range) {
        List<Entry> entries = new ArrayList<>();
        if (range == null) {
            return entries;
        }
        for (Response entry : range) {
            Map<String, String> fields = new HashMap<>();
            Response pairs = entry.get(1);
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                fields.put(pairs.get(i).toString(), pairs.get(i + 1).toString());
            }
            String vector = fields.get("v");
            if (fields.get("m") != null && fields.get("p") != null && fields.get("q") != null && vector != null) {
                entries.add(new Entry(entry.get(0).toString(), new StoredQuestion(fields.get("m"), fields.get("p"),
                        fields.get("q"), QuantizedVector.fromBase64(vector))));
            }
        }
        return entries;
    }
}
