package io.sluice.testsupport.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Application class-data sharing (AppCDS) for the services {@code ./sluice up} starts. A service's first start
 * records the classes it loads into {@code <state>/cds/<name>.jsa.recording}, which the JVM writes when the service
 * stops; {@code ./sluice down} then keeps it as {@code <name>.jsa}, and later starts map those classes instead of
 * loading and verifying them again (benchmarks/RESULTS.md: 0.5-1 s less per service). A rebuilt service's archive is
 * older than its jar, so its next start records a new one. Deleting the directory starts over.
 */
final class ClassDataArchives {
    private static final String RECORDING = ".jsa.recording";

    private final Path directory;

    ClassDataArchives(Path stateDir) {
        this.directory = stateDir.resolve("cds");
    }

    /** The JVM options for one start of the service {@code name} from {@code jar}: map its archive, or record one. */
    List<String> jvmOptions(String name, Path jar) {
        Path archive = directory.resolve(name + ".jsa");
        try {
            if (Files.exists(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The dump lists every class it cannot archive as a warning (thousands of lines); errors still show.
        return List.of("-XX:ArchiveClassesAtExit=" + directory.resolve(name + RECORDING), "-Xlog:cds=error");
    }

    /** Keeps the archives the stopped services wrote on their way out, replacing older ones. */
    void keepRecorded() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path recording : files.filter(f -> f.getFileName().toString().endsWith(RECORDING)).toList()) {
                String name = recording.getFileName().toString();
                Path archive = directory.resolve(name.substring(0, name.length() - RECORDING.length()) + ".jsa");
                Files.move(recording, archive, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
