package io.sluice.testsupport.stores;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a currently free port for a server of the suite, so parallel test JVMs and a running local suite never
 * collide. The port lies below the kernel's ephemeral range: the local port of an outgoing connection (a service's
 * own connection to PostgreSQL, say) comes from that range, and could otherwise take the port between the pick and
 * the server's bind. Random, so that parallel JVMs rarely pick alike, and never the same one twice in a JVM.
 */
public final class FreePort {
    static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range, for when it cannot be read. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int ATTEMPTS = 1_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePort() {
    }

    public static int pick() {
        int below = ephemeralStart();
        for (int attempt = 0; attempt < ATTEMPTS && below > LOWEST; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + below);
    }

    /** The first port of the kernel's ephemeral range. */
    static int ephemeralStart() {
        // Read as a stream: procfs reports a size of 0, which Files.readString trusts.
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    /** Whether a server could bind the port on every address now (as the services do). */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
