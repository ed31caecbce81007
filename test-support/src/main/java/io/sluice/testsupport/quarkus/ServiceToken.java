package io.sluice.testsupport.quarkus;

import static org.hamcrest.Matchers.is;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The service credential in a Quarkus test: internal endpoints answer only calls that carry the
 * {@code sluice.service.token} the service under test is configured with ({@code %test.}), as the gateway sends it.
 */
public final class ServiceToken {
    public static final String HEADER = "Authorization";

    private ServiceToken() {
    }

    /** The {@code Authorization} header value the gateway sends. */
    public static String authorization() {
        return "Bearer " + ConfigProvider.getConfig().getValue("sluice.service.token", String.class);
    }

    /** A request as the gateway makes it: with the service token. */
    public static RequestSpecification asGateway() {
        return RestAssured.given().header(HEADER, authorization());
    }

    /** Asserts the guard's refusal: 401, a Bearer challenge and OpenAI's error format. */
    public static void assertRefused(ValidatableResponse response) {
        response.statusCode(401)
                .contentType(ContentType.JSON)
                .header("WWW-Authenticate", is("Bearer realm=\"sluice-service\""))
                .body("error.type", is("authentication_error"))
                .body("error.code", is("invalid_service_token"));
    }
}
