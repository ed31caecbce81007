package io.sluice.sim;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.util.Map;

/**
 * Standalone launcher: {@code java -cp target/sim-provider-*.jar:$(cat target/classpath.txt)
 * io.sluice.sim.Main [--port N]}. Environment: {@code SIM_PORT} (default 8090, {@code --port} wins),
 * {@code SIM_HOST} (default 0.0.0.0), {@code SIM_RULES} (JSON array of rules, as for {@code POST /sim/rules}).
 */
public final class Main {
  static final int DEFAULT_PORT = 8090;

  /** Where to listen and which rules to start with. */
  record Settings(String host, int port, JsonArray rules) {

    static Settings from(String[] args, Map<String, String> env) {
      String port = env.get("SIM_PORT");
      for (int i = 0; i < args.length; i++) {
        if ("--port".equals(args[i]) && i + 1 < args.length) {
          port = args[++i];
        } else if (args[i].startsWith("--port=")) {
          port = args[i].substring("--port=".length());
        } else {
          throw new IllegalArgumentException("Unknown argument '" + args[i] + "'; usage: Main [--port N]");
        }
      }
      String host = env.getOrDefault("SIM_HOST", "0.0.0.0");
      return new Settings(host.isBlank() ? "0.0.0.0" : host, parsePort(port), parseRules(env.get("SIM_RULES")));
    }

    private static int parsePort(String port) {
      if (port == null || port.isBlank()) {
        return DEFAULT_PORT;
      }
      try {
        int parsed = Integer.parseInt(port.trim());
        if (parsed >= 0 && parsed <= 65_535) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new IllegalArgumentException("Port must be a number between 0 and 65535, got '" + port + "'");
    }

    private static JsonArray parseRules(String rules) {
      if (rules == null || rules.isBlank()) {
        return new JsonArray();
      }
      try {
        return new JsonArray(rules);
      } catch (DecodeException e) {
        throw new IllegalArgumentException("SIM_RULES must be a JSON array of rules: " + e.getMessage(), e);
      }
    }
  }

  private Main() {}

  public static void main(String[] args) {
    Settings settings;
    SimProvider sim;
    try {
      settings = Settings.from(args, System.getenv());
      sim = SimProvider.start(SimProvider.ownVertx(), true, settings.host(), settings.port(), settings.rules());
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("sim-provider: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "sim-provider-shutdown"));
    System.out.println("sim-provider listening on " + sim.port()); // launchers wait for this line
  }
}
