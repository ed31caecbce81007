package io.sluice.quota;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.sluice.contracts.KeyInvalidations;

/** Listens on the key-invalidation channel as a gateway replica does, recording every message. */
final class InvalidationListener implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final RedisSubscriber subscriber;

    InvalidationListener(RedisDataSource redis) {
        long before = subscribers(redis);
        subscriber = redis.pubsub(String.class).subscribe(KeyInvalidations.CHANNEL, messages::add);
        // Messages published before Redis registers the subscription would be lost, so wait for it.
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers(redis) > before);
    }

    /** Waits until {@code count} messages have arrived and returns all that arrived. */
    List<String> awaitMessages(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> messages.size() >= count);
        return List.copyOf(messages);
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    private static long subscribers(RedisDataSource redis) {
        // PUBSUB NUMSUB answers [channel, count].
        return redis.execute("PUBSUB", "NUMSUB", KeyInvalidations.CHANNEL).get(1).toLong();
    }

    @Override
    public void close() {
        subscriber.unsubscribe();
    }
}
