package io.sluice.benchmarks.suite;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;

/**
 * The floor of one hop: an HTTP proxy that does nothing but forward each request's body to the next hop and relay
 * the answer, on one Vert.x event loop with a keep-alive pool, as each Sluice service runs. Two of them in front of
 * sim-provider cost what the gateway and the orchestrator cannot go below on this machine, whatever their own work.
 * <p>
 * {@code java -cp benchmarks.jar io.sluice.benchmarks.suite.PassThroughProxy <listen port> <next hop port>}
 */
public final class PassThroughProxy {
    private PassThroughProxy() {
    }

    public static void main(String[] args) {
        int listenPort = Integer.parseInt(args[0]);
        int nextHopPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        HttpClient nextHop = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(nextHopPort), new PoolOptions().setHttp1MaxSize(512));
        vertx.createHttpServer()
                .requestHandler(request -> forward(request, nextHop))
                .listen(listenPort, "127.0.0.1")
                .onSuccess(server -> System.out.println("listening on " + server.actualPort()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }

    private static void forward(HttpServerRequest request, HttpClient nextHop) {
        request.body()
                .compose(body -> nextHop.request(request.method(), request.uri())
                        .compose(call -> call.putHeader("content-type", "application/json").send(body))
                        .compose(answer -> answer.body().onSuccess(answerBody -> request.response()
                                .setStatusCode(answer.statusCode())
                                .putHeader("content-type", "application/json")
                                .end(answerBody))))
                .onFailure(failure -> request.response().setStatusCode(502).end());
    }
}
