package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** A key's plaintext goes to the caller who asked for it and to no log line. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class KeySecrecyInLogsTest {
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            logLines.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void issuingRotatingAndRevokingNeverLogTheKeyOrItsHash() {
        var issued = asAdmin().body(Map.of("name", "secret"))
                .post("/admin/tenants/" + createTenant("FREE") + "/keys")
                .then().statusCode(201).extract();
        String keyId = issued.path("id");
        var rotated = asAdmin().body(Map.of("grace_seconds", 60)).post("/admin/keys/" + keyId + "/rotate")
                .then().statusCode(201).extract();
        asAdmin().delete("/admin/keys/" + rotated.path("id")).then().statusCode(204);

        // The capture works: issuing, rotating and revoking are logged by key id.
        assertTrue(logLines.stream().filter(line -> line.contains(keyId)).count() >= 2, logLines.toString());
        assertTrue(logLines.stream().anyMatch(line -> line.contains(rotated.path("id"))), logLines.toString());
        for (String key : List.of(issued.<String> path("key"), rotated.<String> path("key"))) {
            String secret = key.substring("sk-sluice-".length());
            assertFalse(logLines.stream().anyMatch(line -> line.contains(secret)), "a log line contains a key");
            assertFalse(logLines.stream().anyMatch(line -> line.contains(AdminRequests.sha256Hex(key))),
                    "a log line contains a key hash");
        }
    }
}
