package io.sluice.gateway;

import java.net.URL;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * A test of the whole inference path against {@link StandInPeers}: each test sets how the orchestrator answers and
 * reads what the request left in Redis through {@link #ledger}. Subclasses carry {@code @TestProfile(}
 * {@link WithStandInPeers}{@code )}, which JUnit does not inherit.
 */
@QuarkusTestResource(RedisTestResource.class)
public abstract class StandInPeersTest {
    /** An answer that never comes fails the test instead of hanging it. */
    protected static final RestAssuredConfig PATIENT = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 10_000));

    @InjectStore
    protected StandInPeers peers;

    @Inject
    protected RedisDataSource redis;

    @TestHTTPResource("/")
    protected URL gateway;

    protected Ledger ledger;

    @BeforeEach
    void resetPeers() {
        peers.resetOrchestrator();
        ledger = new Ledger(redis);
    }
}
