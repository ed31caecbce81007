package io.sluice.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AsyncProfileTest {

    @Test
    void collapsedStacksBecomeSharesByTopFrameSluiceMethodAndThreadKernelFramesIncluded() {
        HotMethods hot = AsyncProfile.hotMethods(List.of(
                "[vert.x-eventloop-thread-0 tid=41];io/sluice/gateway/service/InferencePipeline.handle;"
                        + "io/sluice/gateway/service/InferencePipeline.handle;sun/nio/ch/SocketDispatcher.write0;"
                        + "__x64_sys_write_[k] 7",
                "[vert.x-eventloop-thread-0 tid=41];io/sluice/gateway/relay/OrchestratorRelay$$Lambda$895.handle;"
                        + "io/sluice/gateway/relay/OrchestratorRelay.relayWhole;java/util/HashMap.get 2",
                "[C2 CompilerThread0 tid=12];C2Compiler::compile_method 1"));

        assertEquals(10, hot.samples());
        assertEquals(Map.of("__x64_sys_write_[k]", 7L, "java.util.HashMap.get", 2L, "C2Compiler::compile_method", 1L),
                hot.topFrames());
        // A recursive frame counts once per sample; generated lambda frames are left out.
        assertEquals(Map.of("io.sluice.gateway.service.InferencePipeline.handle", 7L,
                "io.sluice.gateway.relay.OrchestratorRelay.relayWhole", 2L), hot.sluiceInclusive());
        assertEquals(Map.of("vert.x-eventloop-thread-N", 9L, "C2 CompilerThread0", 1L), hot.byThread());
    }
}
