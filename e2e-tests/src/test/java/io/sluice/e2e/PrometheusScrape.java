package io.sluice.e2e;

import static io.restassured.RestAssured.given;

/** Reads a metric from a service's Prometheus endpoint, as Prometheus itself would scrape it. */
final class PrometheusScrape {
    private PrometheusScrape() {
    }

    /**
     * The sum over all series of {@code metric} on {@code managementUrl}/q/metrics (a service's management port);
     * 0 when none is exported yet.
     */
    static double sum(String managementUrl, String metric) {
        return sum(managementUrl, metric, "");
    }

    /** The sum of the series of {@code metric} whose labels include {@code label} (e.g. {@code result="error"}). */
    static double sum(String managementUrl, String metric, String label) {
        String text = given().get(managementUrl + "/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if ((line.startsWith(metric + " ") || line.startsWith(metric + "{")) && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
