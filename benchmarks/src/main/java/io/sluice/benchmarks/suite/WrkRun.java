package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maximum throughput at a fixed number of connections (closed loop) with wrk: each connection sends its next
 * request as soon as the previous one is answered. The POST body and headers come from a generated Lua script,
 * written owner-readable only (it holds the benchmark key) and deleted afterwards.
 */
final class WrkRun {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([\\d.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);

    /** Latency percentiles in microseconds, by percentile (50, 75, 90, 99). */
    record Result(String target, int connections, long requests, double seconds, long non2xx, long socketErrors,
            Map<String, Double> percentilesMicros, String raw) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        long served() {
            return requests - non2xx;
        }
    }

    private WrkRun() {
    }

    static Result run(LoadTarget target, int connections, int seconds) throws IOException, InterruptedException {
        Path script = Files.createTempFile("sluice-wrk-", ".lua",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n")
                    .append("wrk.body = [[").append(LoadTarget.chatBody(false)).append("]]\n")
                    .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            target.headers().forEach((name, value) -> lua.append("wrk.headers[\"").append(name).append("\"] = \"")
                    .append(value).append("\"\n"));
            Files.writeString(script, lua);
            int threads = Math.min(2, connections);
            List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                    "--latency", "-s", script.toString(), target.url());
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(wrk.getInputStream().readAllBytes());
            if (wrk.waitFor() != 0) {
                throw new IllegalStateException("wrk failed: " + out);
            }
            return parse(target.name(), connections, out);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static Result parse(String target, int connections, String out) {
        Matcher requests = REQUESTS.matcher(out);
        if (!requests.find()) {
            throw new IllegalStateException("unexpected wrk output: " + out);
        }
        long count = Long.parseLong(requests.group(1));
        double seconds = micros(requests.group(2), requests.group(3)) / 1e6;
        Matcher non2xx = NON_2XX.matcher(out);
        long rejected = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        Matcher errors = ERRORS.matcher(out);
        long socketErrors = 0;
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        Map<String, Double> percentiles = new LinkedHashMap<>();
        Matcher percentile = PERCENTILE.matcher(out);
        while (percentile.find()) {
            percentiles.put(percentile.group(1), micros(percentile.group(2), percentile.group(3)));
        }
        return new Result(target, connections, count, seconds, rejected, socketErrors, percentiles, out);
    }

    private static double micros(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number;
            case "ms" -> number * 1e3;
            case "s" -> number * 1e6;
            case "m" -> number * 60e6;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
