package io.sluice.telemetry;

import static io.restassured.RestAssured.given;

import java.util.Set;
import java.util.TreeSet;

import io.sluice.testsupport.quarkus.ManagementInterface;

/** Reads one series from /q/metrics the way Prometheus would, so tests assert the exported names. */
final class PrometheusScrape {
    /** 1 while telemetry's last ping of PostgreSQL answered. */
    static final String POSTGRES_UP = "sluice_dependency_up{dependency=\"postgresql\"}";

    private PrometheusScrape() {
    }

    /** Every exported series (name and labels, without the value) whose name starts with {@code prefix}. */
    static Set<String> series(String prefix) {
        String body = given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();
        Set<String> series = new TreeSet<>();
        for (String line : body.split("\n")) {
            if (line.startsWith(prefix)) {
                series.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return series;
    }

    /** The value of an unlabelled series, or of all its labelled series summed; NaN if it is not exported. */
    static double value(String series) {
        String body = given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();
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
