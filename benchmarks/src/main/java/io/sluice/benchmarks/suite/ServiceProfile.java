package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Path;

/** A CPU profile of one running service, taken from its start until {@link #stop()}. */
interface ServiceProfile {

    HotMethods stop() throws IOException, InterruptedException;

    /** Starts the profiler the run asked for ({@code --profiler=jfr|async}) on {@code process}. */
    static ServiceProfile start(String profiler, ProcessHandle process, Path workDir, String name)
            throws IOException, InterruptedException {
        return "async".equals(profiler)
                ? AsyncProfile.start(process, workDir.resolve(name + ".collapsed"), AsyncProfile.library(workDir))
                : JfrProfile.start(process, workDir.resolve(name + ".jfr"));
    }
}
