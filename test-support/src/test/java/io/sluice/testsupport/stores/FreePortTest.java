package io.sluice.testsupport.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FreePortTest {
    @Test
    void picksDistinctBindablePortsBelowTheEphemeralRange() throws IOException {
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePort.pick();
            assertTrue(port >= FreePort.LOWEST && port < FreePort.ephemeralStart(), "port " + port);
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(port));
            }
            picked.add(port);
        }
        assertEquals(50, picked.size(), "a port handed out twice");
    }

    @Test
    void aPortWithAListenerIsNotFree() throws IOException {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(FreePort.pick()));
            assertFalse(FreePort.isFree(listener.getLocalPort()));
        }
    }
}
