package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Plain JDK HTTP clients for the sim: raw requests, SSE reading and condition polling. */
final class SimHttp {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  SimHttp(SimProvider sim) {
    this.baseUrl = sim.baseUrl();
  }

  /** One SSE event as received, with its arrival time. */
  record Event(String name, String data, long arrivedNanos) {}

  /** A read stream: its events and whether it ended cleanly (false when the connection broke). */
  record Stream(int status, List<Event> events, boolean endedCleanly) {
    List<String> data() {
      return events.stream().map(Event::data).toList();
    }
  }

  HttpResponse<String> post(String path, String json, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  HttpResponse<String> delete(String path) {
    return send(request(path).DELETE().build());
  }

  JsonObject stats() {
    return new JsonObject(get("/sim/stats").body());
  }

  void resetStatsAndRules() {
    delete("/sim/rules");
    post("/sim/stats/reset", "");
  }

  HttpResponse<InputStream> open(String path, String json, String... headers) {
    try {
      return client.send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Posts and reads the SSE response to its end, noting each event's arrival. Uses
   * HttpURLConnection because it reads the socket synchronously: every byte sent before a drop is
   * seen before the drop itself (java.net.http may surface the broken connection first).
   */
  Stream stream(String path, String json, String... headers) {
    HttpURLConnection connection = null;
    List<Event> events = new ArrayList<>();
    boolean clean = true;
    int status;
    try {
      connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
      connection.setRequestProperty("content-type", "application/json");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        connection.setRequestProperty(headers[i], headers[i + 1]);
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      status = connection.getResponseCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
      String name = null;
      StringBuilder data = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name, data.toString(), System.nanoTime()));
          }
          name = null;
          data = null;
        } else if (line.startsWith("event:")) {
          name = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:")) {
          data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring("data:".length()).trim());
        }
      }
    } catch (IOException e) {
      clean = false;
    } finally {
      connection.disconnect();
    }
    return new Stream(status, events, clean);
  }

  /** Polls until the condition holds; fails with {@code what} at the deadline. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("Interrupted waiting for: " + what);
      }
    }
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT).header("content-type", "application/json");
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
