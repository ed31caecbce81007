package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

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
        HotMethods.Tally tally = new HotMethods.Tally();
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            List<String> frames = new ArrayList<>(List.of(line.substring(0, space).split(";")));
            String thread = "?";
            if (frames.get(0).startsWith("[") && frames.get(0).endsWith("]")) {
                String first = frames.remove(0);
                thread = first.substring(1, first.length() - 1).replaceAll(" tid=\\d+$", "");
            }
            List<String> topFirst = new ArrayList<>(frames.size());
            for (int i = frames.size() - 1; i >= 0; i--) {
                topFirst.add(frames.get(i).replace('/', '.'));
            }
            tally.add(thread, topFirst, Long.parseLong(line.substring(space + 1).strip()));
        }
        return tally.result();
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
