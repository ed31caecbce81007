package io.sluice.testsupport.quarkus;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * Starts a real PostgreSQL for a {@code @QuarkusTest} and configures both the reactive URL (Hibernate Reactive)
 * and the JDBC URL (Flyway migrations at start-up).
 * <p>
 * With the init argument {@value #DOWN_AT_START} = {@code true} the server is stopped again before the application
 * starts, and Flyway does not migrate at start-up: as a pod that starts before its database, whose schema a
 * migration Job writes. The test starts the server ({@link EmbeddedPostgresStore#startServer()}) when it wants it.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String DOWN_AT_START = "down-at-start";

    private EmbeddedPostgresStore postgres;
    private boolean downAtStart;

    @Override
    public void init(Map<String, String> initArgs) {
        downAtStart = Boolean.parseBoolean(initArgs.get(DOWN_AT_START));
    }

    @Override
    public Map<String, String> start() {
        postgres = EmbeddedPostgresStore.start(0);
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", EmbeddedPostgresStore.USER,
                "quarkus.datasource.password", EmbeddedPostgresStore.USER));
        if (downAtStart) {
            postgres.stopServer();
            config.put("quarkus.flyway.migrate-at-start", "false");
        }
        return config;
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
