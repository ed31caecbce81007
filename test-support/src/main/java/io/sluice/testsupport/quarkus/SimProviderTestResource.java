package io.sluice.testsupport.quarkus;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.sim.SimProvider;

/**
 * Runs sim-provider inside the test JVM and sets the configuration property named by the {@code property}
 * init argument (default {@code sluice.upstream.base-url}) to its base URL.
 */
public class SimProviderTestResource implements QuarkusTestResourceLifecycleManager {
    private SimProvider sim;
    private String property = "sluice.upstream.base-url";

    @Override
    public void init(Map<String, String> initArgs) {
        property = initArgs.getOrDefault("property", property);
    }

    @Override
    public Map<String, String> start() {
        sim = SimProvider.start(0);
        return Map.of(property, sim.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(sim, new TestInjector.AnnotatedAndMatchesType(InjectStore.class, SimProvider.class));
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.close();
        }
    }
}
