package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The scriptcast HTTP API as a client sees it; the server is always reached over loopback. */
public final class Api {

  private final URI base;

  /** The Authorization header sent with every request; null sends none. */
  private final String authorization;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * Signed in as {@code admin} of {@code src/test/users.json}. Arquillian names the machine's own
   * address; tests talk to loopback only.
   */
  public Api(URL deployment) {
    this(
        URI.create("http://127.0.0.1:" + deployment.getPort() + deployment.getPath()),
        basic("admin", "admin-password"));
  }

  private Api(URI base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /** The same server, as another user of {@code src/test/users.json} (password NAME-password). */
  public Api as(String user) {
    return new Api(base, basic(user, user + "-password"));
  }

  /** The same server, with this Authorization header, or none (null). */
  public Api withAuthorization(String header) {
    return new Api(base, header);
  }

  public static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public URI uri(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** An absolute path from a link of a run object (which starts with the context path). */
  public URI link(String path) {
    return base.resolve(path);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET());
  }

  /** A GET with the given {@code Accept}, as a browser or {@code curl} would send it. */
  public HttpResponse<String> get(String path, String accept) {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
  }

  /** One long-poll answer: {@code {events, lastEventId, done}}. */
  public JsonObject poll(String runId, long after, int waitSeconds) {
    HttpResponse<String> answer =
        get("api/runs/" + runId + "/events?after=" + after + "&wait=" + waitSeconds);
    assertEquals(200, answer.statusCode(), answer.body());
    return json(answer.body()).asJsonObject();
  }

  /** Waits, by long polls, until the run has ended; returns every event it had, as JSON. */
  public List<JsonObject> pollToEnd(String runId) {
    List<JsonObject> events = new ArrayList<>();
    long after = 0;
    for (boolean done = false; !done; ) {
      JsonObject page = poll(runId, after, 30);
      page.getJsonArray("events").forEach(event -> events.add(event.asJsonObject()));
      after = page.getJsonNumber("lastEventId").longValue();
      done = page.getBoolean("done");
    }
    return events;
  }

  /**
   * Asks until {@code condition} holds, for what becomes true in the background (a run's record in
   * the history trails the run by the writer's interval); fails after 30 s.
   */
  public static void eventually(String what, BooleanSupplier condition) {
    eventually(what, Duration.ofSeconds(30), condition);
  }

  public static void eventually(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not true after " + limit + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public HttpResponse<String> post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a run and returns its run object; fails the test unless the answer is 201. */
  public JsonObject start(String script, String params) {
    HttpResponse<String> answer =
        post(
            "api/runs",
            "application/json",
            "{\"script\": \"" + script + "\", \"params\": " + params + "}");
    assertEquals(201, answer.statusCode(), answer.body());
    return json(answer.body()).asJsonObject();
  }

  /** Opens the event stream of a run; the caller reads it with an {@link SseParser}. */
  public HttpResponse<InputStream> events(String runId, String query, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("api/runs/" + runId + "/events" + query))
            .header("Accept", "text/event-stream");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Follows a run to its end and returns every event it had. */
  public List<SseEvent> follow(String runId) {
    HttpResponse<InputStream> answer = events(runId, "");
    assertEquals(200, answer.statusCode());
    try (InputStream body = answer.body()) {
      return new SseParser(body).readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The run as the history shows it: as stored. */
  public JsonObject stored(String runId) {
    return json(get("api/runs?limit=500").body()).asJsonArray().stream()
        .map(jakarta.json.JsonValue::asJsonObject)
        .filter(run -> run.getString("id").equals(runId))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Follows a finished run of the test catalog's {@code count} script to its end without keeping
   * its events: each one once and in order, and the script's lines 1 to {@code lines} as stdout.
   */
  public void followCount(String runId, long lines) {
    long expected = 0;
    try (InputStream body = events(runId, "").body()) {
      SseParser events = new SseParser(body);
      for (SseEvent event = events.next(); event != null; event = events.next()) {
        assertEquals(++expected, event.number());
        if (expected > 2 && expected <= lines + 2) {
          assertEquals("stdout", event.type());
          assertEquals(Long.toString(expected - 2), event.data());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(lines + 4, expected); // with the run's state events before and after
  }

  /** Reads the run's events until one with this data arrives: the script has got that far. */
  public void awaitLine(String runId, String line) {
    try (InputStream body = events(runId, "").body()) {
      SseParser events = new SseParser(body);
      for (SseEvent event = events.next(); event != null; event = events.next()) {
        if (event.data().equals(line)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("run " + runId + " ended before printing " + line);
  }

  public static JsonStructure json(String text) {
    return Json.createReader(new StringReader(text)).read();
  }
}
