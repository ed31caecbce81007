package io.sluice.testsupport.quarkus;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * Starts a real PostgreSQL for a {@code @QuarkusTest} and configures both the reactive URL (Hibernate Reactive)
 * and the JDBC URL (Flyway migrations at start-up).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgresStore postgres;

    @Override
    public Map<String, String> start() {
        postgres = EmbeddedPostgresStore.start(0);
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", EmbeddedPostgresStore.USER,
                "quarkus.datasource.password", EmbeddedPostgresStore.USER);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(postgres,
                new TestInjector.AnnotatedAndMatchesType(InjectStore.class, EmbeddedPostgresStore.class));
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
