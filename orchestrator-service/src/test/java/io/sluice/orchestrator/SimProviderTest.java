package io.sluice.orchestrator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.sluice.sim.SimProvider;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.quarkus.SimProviderTestResource;

/**
 * The orchestrator against sim-provider (and Redis, and PostgreSQL for conversation memory: Flyway migrates at
 * start-up, so every {@code @QuarkusTest} of this module needs it; these resources are not restricted to the
 * annotated class, so every test gets them): every test starts and ends with sim-provider's rules and
 * counters cleared and every breaker closed, so that tests do not see each other's faults.
 */
@QuarkusTestResource(value = SimProviderTestResource.class,
        initArgs = @ResourceArg(name = "property", value = "sluice.sim.base-url"))
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
abstract class SimProviderTest {

    @InjectStore
    SimProvider sim;

    SimFaults faults;

    @BeforeEach
    void resetSimulation() {
        faults = new SimFaults(sim);
        faults.reset();
    }

    @AfterEach
    void clearSimulation() {
        faults.reset();
    }
}
