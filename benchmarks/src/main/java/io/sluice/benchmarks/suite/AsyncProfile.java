package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * async-profiler ({@code tools.profiler:async-profiler} from Maven Central) attached to a running service: CPU
 * samples with kernel stacks, so system calls, wake-ups and JIT threads show, which JFR's Java-only samples miss.
 * The agent is loaded through the attach API: {@code jcmd JVMTI.agent_load} would split its comma-separated options.
 */
final class AsyncProfile implements ServiceProfile {
    private final long pid;
    private final Path library;
    private final Path collapsed;

    private AsyncProfile(long pid, Path library, Path collapsed) {
        this.pid = pid;
        this.library = library;
        this.collapsed = collapsed;
    }

    static AsyncProfile start(ProcessHandle process, Path collapsed, Path library) throws IOException {
        Files.createDirectories(collapsed.getParent());
        Files.deleteIfExists(collapsed);
        load(process.pid(), library, "start,event=cpu,interval=997us,cstack=fp,threads");
        return new AsyncProfile(process.pid(), library, collapsed);
    }

    @Override
    public HotMethods stop() throws IOException {
        load(pid, library, "stop,file=" + collapsed + ",collapsed,threads");
        return hotMethods(Files.readAllLines(collapsed));
    }

    /** The profiler's native library for this machine, unpacked from the async-profiler jar into {@code workDir}. */
    static Path library(Path workDir) throws IOException {
        String platform = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
        Path library = workDir.resolve("libasyncProfiler.so");
        try (InputStream in = AsyncProfile.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
            if (in == null) {
                throw new IllegalStateException("no async-profiler library for " + platform + " on the class path");
            }
            Files.createDirectories(workDir);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        }
        return library;
    }

    /**
     * Reads collapsed stacks ({@code [thread tid=N];frame;...;leaf count}): kernel frames end in {@code _[k]}, Java
     * frames are {@code package/Class.method}.
     */
    static HotMethods hotMethods(List<String> lines) {
        long samples = 0;
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> sluice = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).strip());
            String[] frames = line.substring(0, space).split(";");
            samples += count;
            int first = 0;
            String thread = "?";
            if (frames[0].startsWith("[") && frames[0].endsWith("]")) {
                thread = frames[0].substring(1, frames[0].length() - 1).replaceAll(" tid=\\d+$", "")
                        .replaceAll("-\\d+$", "-N");
                first = 1;
            }
            threads.merge(thread, count, Long::sum);
            if (frames.length > first) {
                top.merge(frames[frames.length - 1].replace('/', '.'), count, Long::sum);
            }
            Set<String> seen = new HashSet<>();
            for (int i = first; i < frames.length; i++) {
                String method = frames[i].replace('/', '.');
                if (method.startsWith("io.sluice.") && !method.contains("$$Lambda") && seen.add(method)) {
                    sluice.merge(method, count, Long::sum);
                }
            }
        }
        return new HotMethods(samples, top, sluice, threads);
    }

    private static void load(long pid, Path library, String options) throws IOException {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                vm.loadAgentPath(library.toString(), options);
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | AgentLoadException | AgentInitializationException e) {
            throw new IOException("async-profiler on " + pid + " (" + options + "): " + e, e);
        }
    }
}
