package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.Api.eventually;
import static org.scriptcast.it.SseEvent.data;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs outlive the server: one data folder, a server killed hard, stopped normally and started
 * again on it. On the embedded database, started by the test itself (Arquillian cannot kill).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurabilityIT {

  private static final Path DATA = Path.of("target", "durability-data").toAbsolutePath();

  private static MicroServer server;

  /** A run that finished before the kill, and how it read then. */
  private static String finished;

  private static List<SseEvent> finishedEvents;

  /** A run that was running when the server was killed. */
  private static String killedUnder;

  @BeforeAll
  static void startOnAnEmptyDataFolder() throws IOException {
    if (Files.exists(DATA)) {
      try (Stream<Path> files = Files.walk(DATA)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    server = MicroServer.start(DATA, "durability-1");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private static JsonObject run(String id) {
    HttpResponse<String> answer = server.api.get("api/runs/" + id);
    assertEquals(200, answer.statusCode(), answer.body());
    return Api.json(answer.body()).asJsonObject();
  }

  private static JsonObject stored(String id) {
    return server.api.stored(id);
  }

  @Test
  @Order(1)
  void aMillionLineRunIsFollowedToTheEndAfterItEndedWithoutHoldingTheHeap() throws Exception {
    server.api.follow(server.api.start("count", "{\"lines\": 1000}").getString("id"));
    long before = server.heapAfterFullGcKib();
    String id = server.api.start("count", "{\"lines\": 1000000}").getString("id");
    eventually(
        "the million-line run has ended and is stored",
        Duration.ofMinutes(5),
        () -> "SUCCEEDED".equals(stored(id).getString("state")));
    assertEquals(1_000_004, run(id).getJsonNumber("lastEventId").longValue());
    server.api.followCount(id, 1_000_000);
    long after = server.heapAfterFullGcKib();
    // the whole run in memory would be about 170 MB; stored, it is read block by block
    assertTrue(
        after - before < 64 * 1024,
        "heap after a full GC grew from " + before / 1024 + " MiB to " + after / 1024 + " MiB");
    System.out.printf(
        "heap after a full GC: %d MiB before the million-line run, %d MiB after following it%n",
        before / 1024, after / 1024);
  }

  @Test
  @Order(2)
  void aRunUnderAHardKillIsInterruptedWithEveryStoredLineAndTheRestIsIntact() throws Exception {
    finished = server.api.start("count", "{\"lines\": 100}").getString("id");
    finishedEvents = server.api.follow(finished);
    eventually(
        "the finished run is stored",
        () -> "SUCCEEDED".equals(stored(finished).getString("state")));
    killedUnder = server.api.start("slow", "{\"lines\": 2, \"pause\": \"60\"}").getString("id");
    eventually("the first line is stored", () -> stored(killedUnder).getInt("lastEventId") >= 3);

    server.kill();
    server = MicroServer.start(DATA, "durability-2");

    JsonObject interrupted = run(killedUnder);
    assertEquals("INTERRUPTED", interrupted.getString("state"));
    assertEquals(JsonValue.NULL, interrupted.get("exitCode"));
    assertNotEquals(JsonValue.NULL, interrupted.get("finishedAt"));
    List<SseEvent> events = server.api.follow(killedUnder);
    assertEquals(
        List.of("state", "state", "stdout", "state", "result"),
        events.stream().map(SseEvent::type).toList());
    assertEquals(List.of("line 1"), data(events, "stdout"));
    JsonObject finalState = Api.json(events.get(3).data()).asJsonObject();
    assertEquals("INTERRUPTED", finalState.getString("state"));
    assertEquals(4, finalState.getInt("lastEventId"));
    assertEquals("none", events.get(4).data());
    assertEquals("line 1\n", server.api.get("api/runs/" + killedUnder + "/log", "*/*").body());

    assertEquals(finishedEvents, server.api.follow(finished));

    List<SseEvent> fresh =
        server.api.follow(server.api.start("count", "{\"lines\": 3}").getString("id"));
    assertEquals(List.of("1", "2", "3"), data(fresh, "stdout"));
    assertEquals("0", fresh.get(fresh.size() - 1).data());
  }

  @Test
  @Order(3)
  void aNormalStopStoresEveryLineAnyClientSaw() throws Exception {
    String id =
        server.api.start("slow", "{\"lines\": 100000, \"pause\": \"0.002\"}").getString("id");
    HttpResponse<InputStream> stream = server.api.events(id, "");
    long lastSeen = 0;
    try (InputStream body = stream.body()) {
      SseParser events = new SseParser(body);
      SseEvent event;
      for (event = events.next(); event != null && lastSeen < 50; event = events.next()) {
        if (event.type().equals("stdout")) {
          lastSeen = Long.parseLong(event.data().substring("line ".length()));
        }
      }
      server.stop();
      try {
        for (event = events.next(); event != null; event = events.next()) {
          if (event.type().equals("stdout")) {
            lastSeen = Long.parseLong(event.data().substring("line ".length()));
          }
        }
      } catch (IOException e) {
        // the server went away mid-stream
      }
    }
    server = MicroServer.start(DATA, "durability-3");
    assertEquals("INTERRUPTED", run(id).getString("state"));
    List<String> lines = data(server.api.follow(id), "stdout");
    assertTrue(lines.size() >= lastSeen, lines.size() + " lines stored, " + lastSeen + " seen");
    for (int i = 0; i < lines.size(); i++) {
      assertEquals("line " + (i + 1), lines.get(i));
    }
  }

  @Test
  @Order(4)
  void finishedRunsOlderThanTheRetentionAreDeletedWithTheirEvents() throws Exception {
    server.stop();
    server = MicroServer.start(DATA, "durability-4", "-Dscriptcast.retentionDays=0");
    eventually(
        "the old runs are deleted",
        () -> server.api.get("api/runs/" + finished).statusCode() == 404);
    assertEquals(404, server.api.get("api/runs/" + killedUnder).statusCode());
    assertEquals(404, server.api.get("api/runs/" + finished + "/log", "*/*").statusCode());
    assertTrue(Api.json(server.api.get("api/runs?limit=500").body()).asJsonArray().isEmpty());
  }
}
