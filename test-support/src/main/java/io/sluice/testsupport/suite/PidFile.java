package io.sluice.testsupport.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A process of the local suite recorded as {@code <pid> <start-epoch-millis>}. The start time is checked on reading,
 * so that a pid file left behind (say, across a reboot) never leads to stopping an unrelated process that got the
 * same pid.
 */
final class PidFile {
    /** Start times read through /proc have clock-tick resolution; a reused pid starts far later than that. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    private PidFile() {
    }

    static void write(Path file, ProcessHandle process) {
        String start = process.info().startInstant().map(i -> " " + i.toEpochMilli()).orElse("");
        try {
            Files.writeString(file, process.pid() + start + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded process if it is still the same one and still running. */
    static Optional<ProcessHandle> read(Path file) {
        String[] fields;
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            fields = Files.readString(file).strip().split("\\s+");
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[0])).filter(ProcessHandle::isAlive);
            if (fields.length < 2) {
                return process;
            }
            long recordedStart = Long.parseLong(fields[1]);
            return process.filter(p -> p.info().startInstant().map(Instant::toEpochMilli)
                    .map(start -> Math.abs(start - recordedStart) <= START_TOLERANCE_MILLIS).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
