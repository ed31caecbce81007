package io.sluice.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.gateway.rest.InferenceRoutes;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.InferenceEndpoint;
import io.sluice.gateway.relay.ResponseShape;
import io.vertx.ext.web.Router;

/**
 * Test-only inference routes, mounted as the real ones are, whose stages throw what no stage should: a validator
 * that fails with something other than a 400, a response shape that fails after the quota was reserved. They prove
 * the mechanism, whatever the bug: the request still ends once, answered, recorded and released.
 */
@ApplicationScoped
public class FaultyEndpoints {
    public static final String VALIDATOR_THROWS = "/test/validator-throws";
    public static final String SHAPE_THROWS = "/test/shape-throws";

    void register(@Observes Router router, InferenceRoutes routes, ChatRequestValidator chat) {
        routes.mount(router, new InferenceEndpoint("chat", VALIDATOR_THROWS, "/v1/chat/completions", body -> {
            throw new IllegalStateException("a validator bug");
        }, ResponseShape.OPENAI));
        routes.mount(router, new InferenceEndpoint("chat", SHAPE_THROWS, "/v1/chat/completions", chat,
                new ResponseShape() {
                    @Override
                    public ResponseShape forRequest(String requestId, String model) {
                        throw new IllegalStateException("a translator bug");
                    }
                }));
    }
}
