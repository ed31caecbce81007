package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Java Flight Recorder on a running service, switched on and off with {@code jcmd} (no restart, so the profiled
 * process is the one the suite started), and the hottest methods of its {@code jdk.ExecutionSample} events: where
 * the CPU goes (top frames) and which Sluice methods sit on the most sampled stacks.
 */
final class JfrProfile implements ServiceProfile {
    private final long pid;
    private final Path file;

    private JfrProfile(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    static JfrProfile start(ProcessHandle process, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        jcmd(process.pid(), "JFR.start", "name=sluice-bench", "settings=profile");
        return new JfrProfile(process.pid(), file);
    }

    /** Dumps and stops the recording, and reads it. */
    @Override
    public HotMethods stop() throws IOException, InterruptedException {
        jcmd(pid, "JFR.dump", "name=sluice-bench", "filename=" + file);
        jcmd(pid, "JFR.stop", "name=sluice-bench");
        return hotMethods(file);
    }

    static HotMethods hotMethods(Path recording) throws IOException {
        HotMethods.Tally tally = new HotMethods.Tally();
        try (RecordingFile events = new RecordingFile(recording)) {
            while (events.hasMoreEvents()) {
                RecordedEvent event = events.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                var thread = event.getThread("sampledThread");
                tally.add(thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName(),
                        event.getStackTrace().getFrames().stream().map(frame -> name(frame.getMethod())).toList(), 1);
            }
        }
        return tally.result();
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private static void jcmd(long pid, String... arguments) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path jcmd = java.resolveSibling("jcmd");
        List<String> command = new java.util.ArrayList<>(List.of(Files.exists(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(pid)));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
