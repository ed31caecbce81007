package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of the suite's processes, read from {@code /proc}. A process counts with its
 * descendants (PostgreSQL's backends are children of its server), each pid once.
 */
public final class ProcessStats {
    /** Linux' USER_HZ: {@code /proc/<pid>/stat} counts CPU time in these ticks. */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessStats() {
    }

    /** CPU seconds (user + system) each named process and its live descendants have used so far. */
    static Map<String, Double> cpuSeconds(Map<String, ProcessHandle> processes) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        Set<Long> counted = new LinkedHashSet<>();
        processes.forEach((name, process) -> {
            long ticks = 0;
            for (ProcessHandle member : withDescendants(process)) {
                if (counted.add(member.pid())) {
                    ticks += cpuTicks(member.pid());
                }
            }
            cpu.put(name, (double) ticks / TICKS_PER_SECOND);
        });
        return cpu;
    }

    /** Resident set size in MiB of each named process itself (VmRSS). */
    public static Map<String, Double> rssMiB(Map<String, ProcessHandle> processes) {
        Map<String, Double> rss = new LinkedHashMap<>();
        processes.forEach((name, process) -> rss.put(name, vmRssKiB(process.pid()) / 1024.0));
        return rss;
    }

    /** The options each Java process was started with: its arguments before the main class or {@code -jar}. */
    static Map<String, String> jvmOptions(Map<String, ProcessHandle> processes) {
        Map<String, String> options = new LinkedHashMap<>();
        processes.forEach((name, process) -> {
            if (isJava(process)) {
                List<String> flags = new ArrayList<>();
                for (String argument : process.info().arguments().orElse(new String[0])) {
                    if (!argument.startsWith("-X") && !argument.startsWith("-D")) {
                        break;
                    }
                    flags.add(argument);
                }
                options.put(name, String.join(" ", flags));
            }
        });
        return options;
    }

    static boolean isJava(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/java")).orElse(false);
    }

    /** This JVM's CPU seconds, including children it has waited for (wrk). */
    static double ownCpuSeconds() {
        String[] fields = statFields(Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "stat"));
        if (fields == null) {
            return 0;
        }
        long ticks = 0;
        for (int i = 11; i <= 14; i++) { // utime, stime, cutime, cstime (fields 14-17, counted after the name)
            ticks += Long.parseLong(fields[i]);
        }
        return (double) ticks / TICKS_PER_SECOND;
    }

    private static Iterable<ProcessHandle> withDescendants(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants()).toList();
    }

    private static long cpuTicks(long pid) {
        return cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** utime + stime of a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} file; 0 if gone. */
    static long cpuTicks(Path stat) {
        String[] fields = statFields(stat);
        // After "pid (comm)": state is [0], utime [11], stime [12].
        return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields after the command name (which may itself contain spaces and parentheses), or null if gone. */
    private static String[] statFields(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static long vmRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
