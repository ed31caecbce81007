package io.sluice.testsupport.suite;

import java.nio.file.Path;
import java.util.List;

/** The Java half of {@code ./sluice}: up, down and status of the local suite. */
public final class SluiceCli {
    private SluiceCli() {
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("sluice.root", "."));
        Path state = Path.of(System.getenv().getOrDefault("SLUICE_STATE_DIR", root.resolve(".sluice").toString()));
        LocalSuite suite = new LocalSuite(root, state, true);
        String command = args.length == 0 ? "help" : args[0];
        try {
            switch (command) {
                case "up" -> printStarted(suite.up(SuitePorts.fromEnvironment(System.getenv()),
                        System.getenv("SLUICE_ADMIN_TOKEN")), state);
                case "down" -> {
                    List<String> stopped = suite.down();
                    System.out.println(stopped.isEmpty() ? "nothing was running" : "stopped " + String.join(", ", stopped));
                }
                case "status" -> suite.status().forEach(System.out::println);
                default -> {
                    System.err.println("usage: ./sluice up|down|status|logs [name]");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("sluice: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void printStarted(LocalSuite.Started started, Path state) {
        String base = started.gatewayUrl() + "/v1";
        String replicas = started.gatewayUrls().size() == 1 ? ""
                : "Gateway replicas (sharing Redis, orchestrator and quota-service): "
                        + String.join(" ", started.gatewayUrls()) + "\n";
        System.out.println("""
                Sluice is up: gateway %s (logs: ./sluice logs, stop: ./sluice down)
                %sAdmin API: http://localhost:%d/admin, token in %s/admin-token
                Health and metrics: http://localhost:%d/q/health/ready, /q/metrics (each service on its management
                port: ./sluice status); internal calls carry the service token in %s/service-token

                Demo key (also in %s/demo-key):
                  export SLUICE_KEY=%s

                Try it:
                  curl %s/chat/completions -H "Authorization: Bearer $SLUICE_KEY" \\
                    -H 'content-type: application/json' \\
                    -d '{"model":"sim-gpt","messages":[{"role":"user","content":"Hello, Sluice"}]}'

                With the OpenAI SDK (Python):
                  from openai import OpenAI
                  client = OpenAI(base_url="%s", api_key="%s")
                  reply = client.chat.completions.create(model="sim-gpt", messages=[{"role": "user", "content": "Hello"}])
                  print(reply.choices[0].message.content)
                """.formatted(started.gatewayUrl(), replicas, started.ports().quota(), state,
                started.ports().management(SuitePorts.GATEWAY), state, state, started.demoKey(), base, base,
                started.demoKey()));
    }
}
