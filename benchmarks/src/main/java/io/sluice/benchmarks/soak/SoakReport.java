package io.sluice.benchmarks.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's markdown report: the traffic by kind and status, one row per sample, and for each series its trend
 * after the settling minutes (least-squares slope per 10 minutes beside the spread of the samples), so that growth
 * stands out from noise; last, whether every answered request is in the ledger exactly once.
 */
final class SoakReport {
    private final int minutes;
    private final int rate;
    private final int threads;
    private final int settleMinutes;
    private final StringBuilder body = new StringBuilder();
    private boolean ledgerExact;

    SoakReport(int minutes, int rate, int threads, int settleMinutes) {
        this.minutes = minutes;
        this.rate = rate;
        this.threads = threads;
        this.settleMinutes = settleMinutes;
    }

    void result(MixedTraffic traffic, List<SuiteGauges.Sample> samples, long answered, long withRow, long rows,
            long pending) {
        body.append("Requests due: ").append(traffic.sent()).append(" (").append(traffic.notSent())
                .append(" not sent: every client thread busy); transport failures: ").append(traffic.failed())
                .append(".\n\n| kind | answers by status |\n|---|---|\n");
        traffic.statuses().forEach((kind, byStatus) -> body.append("| ").append(kind.name().toLowerCase())
                .append(" (").append(kind.percent).append("%) | ").append(byStatus).append(" |\n"));
        body.append("\nEach per-process column lists ").append(String.join(", ", samples.get(0).fds().keySet()))
                .append(" in this order (heap and RSS: the four services only).\n\n| min | answered | heap after GC MiB "
                        + "| open fds | RSS MiB | Redis MiB | keys | usage stream | pending | dead-lettered | ledger rows |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SuiteGauges.Sample sample : samples) {
            body.append("| ").append((sample.elapsedSeconds() + 30) / 60).append(" | ").append(sample.answered())
                    .append(" | ").append(join(sample.heapAfterGcMiB(), "%.1f"))
                    .append(" | ").append(join(sample.fds(), "%d"))
                    .append(" | ").append(join(services(sample.rssMiB()), "%.0f"))
                    .append(" | ").append(String.format("%.2f", sample.redisMiB()))
                    .append(" | ").append(sample.redisKeys())
                    .append(" | ").append(sample.usageStreamLength())
                    .append(" | ").append(sample.pending())
                    .append(" | ").append(sample.deadLettered())
                    .append(" | ").append(sample.ledgerRows()).append(" |\n");
        }
        List<SuiteGauges.Sample> settled = samples.stream()
                .filter(sample -> sample.elapsedSeconds() >= settleMinutes * 60L).toList();
        body.append("\nTrends after minute ").append(settleMinutes)
                .append(" (slope per 10 minutes, least squares; spread = max − min of the samples):\n\n")
                .append("| series | first | last | slope / 10 min | spread |\n|---|---|---|---|---|\n");
        Map<String, ToDoubleFunction<SuiteGauges.Sample>> series = new LinkedHashMap<>();
        samples.get(0).heapAfterGcMiB().keySet().forEach(name ->
                series.put("heap after GC, " + name + " (MiB)", s -> s.heapAfterGcMiB().get(name)));
        samples.get(0).fds().keySet().forEach(name -> series.put("fds, " + name, s -> s.fds().get(name)));
        services(samples.get(0).rssMiB()).keySet().forEach(name ->
                series.put("RSS, " + name + " (MiB)", s -> s.rssMiB().get(name)));
        series.put("Redis used memory (MiB)", SuiteGauges.Sample::redisMiB);
        series.put("Redis keys", SuiteGauges.Sample::redisKeys);
        series.put("usage stream entries", SuiteGauges.Sample::usageStreamLength);
        series.forEach((name, value) -> trend(name, settled, value));
        ledgerExact = withRow == answered && rows == answered && pending == 0;
        body.append("\nLedger: ").append(answered).append(" answered requests, ").append(withRow)
                .append(" of them with a row, ").append(rows).append(" rows for them, ").append(pending)
                .append(" entries pending at the end: ")
                .append(ledgerExact ? "every answered request exactly once." : "NOT exactly once.").append('\n');
    }

    private void trend(String name, List<SuiteGauges.Sample> samples, ToDoubleFunction<SuiteGauges.Sample> value) {
        if (samples.size() < 2) {
            return;
        }
        double n = samples.size();
        double meanX = samples.stream().mapToDouble(SuiteGauges.Sample::elapsedSeconds).average().orElse(0);
        double meanY = samples.stream().mapToDouble(value).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (SuiteGauges.Sample sample : samples) {
            double dx = sample.elapsedSeconds() - meanX;
            double y = value.applyAsDouble(sample);
            covariance += dx * (y - meanY);
            variance += dx * dx;
            min = Math.min(min, y);
            max = Math.max(max, y);
        }
        double slopePer10Minutes = variance == 0 ? 0 : covariance / variance * 600;
        body.append(String.format("| %s | %.1f | %.1f | %+.2f | %.1f |%n", name,
                value.applyAsDouble(samples.get(0)), value.applyAsDouble(samples.get((int) n - 1)),
                slopePer10Minutes, max - min));
    }

    boolean ledgerExact() {
        return ledgerExact;
    }

    String markdown() {
        return "# Soak: " + minutes + " minutes of mixed traffic at " + rate + " requests/s (" + threads
                + " client threads)\n\n" + body;
    }

    /** One line per sample for the console. */
    static String line(SuiteGauges.Sample sample) {
        return String.format("%d s: %d answered; heap after GC %s MiB; fds %s; Redis %.2f MiB, %d keys, stream %d, "
                        + "pending %d; ledger %d rows", sample.elapsedSeconds(), sample.answered(),
                join(sample.heapAfterGcMiB(), "%.1f"), join(sample.fds(), "%d"), sample.redisMiB(),
                sample.redisKeys(), sample.usageStreamLength(), sample.pending(), sample.ledgerRows());
    }

    private static Map<String, Double> services(Map<String, Double> byProcess) {
        Map<String, Double> services = new LinkedHashMap<>();
        byProcess.forEach((name, value) -> {
            if (name.endsWith("-service")) {
                services.put(name, value);
            }
        });
        return services;
    }

    private static String join(Map<String, ? extends Number> values, String format) {
        List<String> parts = new ArrayList<>();
        values.values().forEach(value -> parts.add(String.format(format, value)));
        return String.join("/", parts);
    }
}
