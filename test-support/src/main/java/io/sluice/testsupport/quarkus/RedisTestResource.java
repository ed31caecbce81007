package io.sluice.testsupport.quarkus;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

/** Starts a real Redis for a {@code @QuarkusTest} and points {@code quarkus.redis.hosts} at it. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedRedisStore redis;

    @Override
    public Map<String, String> start() {
        redis = EmbeddedRedisStore.start(0);
        return Map.of("quarkus.redis.hosts", redis.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(redis,
                new TestInjector.AnnotatedAndMatchesType(InjectStore.class, EmbeddedRedisStore.class));
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
