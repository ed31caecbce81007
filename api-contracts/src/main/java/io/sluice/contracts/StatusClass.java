package io.sluice.contracts;

/**
 * The {@code status_class} metric label, shared by every service's metrics and by the dashboards and alerts that
 * query them: {@code 2xx} … {@code 5xx}, or {@code error} when there was no HTTP answer at all.
 */
public final class StatusClass {
    public static final String NO_ANSWER = "error";

    private StatusClass() {
    }

    public static String of(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : NO_ANSWER;
    }
}
