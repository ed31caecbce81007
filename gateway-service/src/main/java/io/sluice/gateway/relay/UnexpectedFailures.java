package io.sluice.gateway.relay;

import io.quarkus.logging.Log;

/**
 * Logs a failure the gateway did not expect on a request's path. Only the exception's class and where it was
 * thrown are logged, never its message: a message may quote the client's input (a parser's excerpt of the body,
 * a value that failed a cast), and a client's raw value must not reach the logs.
 */
public final class UnexpectedFailures {
    private UnexpectedFailures() {
    }

    public static void log(String requestId, String stage, Throwable err) {
        StackTraceElement[] trace = err.getStackTrace();
        Log.errorf("request %s failed in the gateway (%s): %s at %s", requestId, stage, err.getClass().getName(),
                trace.length == 0 ? "an unknown place" : trace[0]);
    }
}
