package io.sluice.testsupport.quarkus;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;

/**
 * The management interface of the Quarkus application under test: {@code /q/*} (health, metrics, OpenAPI) is served
 * on its own port ({@code quarkus.management.test-port=0}: a free one), not on the service port.
 */
public final class ManagementInterface {
    private ManagementInterface() {
    }

    /** The absolute URL of {@code path} (e.g. "/q/health/ready") on the management port. */
    public static String url(String path) {
        URI management = URI.create(TestHTTPResourceManager.getManagementUri());
        return management.getScheme() + "://" + management.getHost() + ":" + management.getPort() + path;
    }
}
