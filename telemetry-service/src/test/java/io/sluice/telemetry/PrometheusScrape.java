package io.sluice.telemetry;

import static io.restassured.RestAssured.given;

/** Reads one series from /q/metrics the way Prometheus would, so tests assert the exported names. */
final class PrometheusScrape {
    private PrometheusScrape() {
    }

    /** The value of an unlabelled series, or of all its labelled series summed; NaN if it is not exported. */
    static double value(String series) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = Double.NaN;
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ") || line.startsWith(series + "{")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? value : sum + value;
            }
        }
        return sum;
    }
}
