package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.Api.eventually;
import static org.scriptcast.it.SseEvent.data;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cancel, timeouts, process trees, capacity and shutdown, each checked in the operating system's
 * process table too. One server, started by the test itself with room for 2 executing runs and 3
 * waiting ones, and a grace of 1 s between SIGTERM and SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessControlIT {

  private static final Path DATA = Path.of("target", "process-control-data").toAbsolutePath();
  private static final String[] LIMITS = {
    "-Dscriptcast.maxConcurrentRuns=2",
    "-Dscriptcast.queueCapacity=3",
    "-Dscriptcast.killGraceSeconds=1"
  };

  private static MicroServer server;
  private final List<String> started = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    if (Files.exists(DATA)) {
      try (Stream<Path> files = Files.walk(DATA)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    server = MicroServer.start(DATA, "process-control-1", LIMITS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  /** Every test leaves no run executing for the next one. */
  @AfterEach
  void cancelWhatIsLeft() {
    for (String id : started) {
      server.api.post("api/runs/" + id + "/cancel", "application/json", "");
    }
    for (String id : started) {
      eventually(
          id + " has ended", () -> !state(id).equals("RUNNING") && !state(id).equals("QUEUED"));
      eventually("no process of " + id + " is left", () -> processesOf(id).isEmpty());
    }
  }

  private String start(String script, String params) {
    String id = server.api.start(script, params).getString("id");
    started.add(id);
    return id;
  }

  private static JsonObject run(String id) {
    return Api.json(server.api.get("api/runs/" + id).body()).asJsonObject();
  }

  private static String state(String id) {
    return run(id).getString("state");
  }

  private static HttpResponse<String> cancel(String id) {
    return server.api.post("api/runs/" + id + "/cancel", "application/json", "");
  }

  /**
   * The live processes of a run, from the process table: those whose environment holds the run's
   * {@code SCRIPTCAST_RUN_ID}, as every process of a run does, whoever its parent is now.
   */
  static List<Long> processesOf(String runId) {
    byte[] marker = ("SCRIPTCAST_RUN_ID=" + runId).getBytes(StandardCharsets.UTF_8);
    List<Long> found = new ArrayList<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes
          .filter(process -> process.getFileName().toString().matches("[0-9]+"))
          .forEach(
              process -> {
                try {
                  String environment =
                      new String(
                          Files.readAllBytes(process.resolve("environ")),
                          StandardCharsets.ISO_8859_1);
                  if (("\0" + environment + "\0")
                      .contains("\0" + new String(marker, StandardCharsets.ISO_8859_1) + "\0")) {
                    found.add(Long.parseLong(process.getFileName().toString()));
                  }
                } catch (IOException e) {
                  // gone meanwhile
                }
              });
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return found;
  }

  @Test
  @Order(1)
  void cancelKillsEveryProcessOfTheRunAndEndsItCancelled() throws IOException {
    String id = start("tree", "{}");
    server.api.awaitLine(id, "children started");
    assertTrue(
        processesOf(id).size() >= 4, "the script and its three children: " + processesOf(id));
    HttpResponse<String> answer = cancel(id);
    assertEquals(202, answer.statusCode(), answer.body());
    assertEquals(id, Api.json(answer.body()).asJsonObject().getString("id"));
    List<SseEvent> events = server.api.follow(id);
    JsonObject end = Api.json(events.get(events.size() - 2).data()).asJsonObject();
    assertEquals("CANCELLED", end.getString("state"));
    assertEquals(143, end.getInt("exitCode"));
    assertEquals("143", events.get(events.size() - 1).data());
    assertEquals("admin", end.getString("cancelledBy"));
    eventually("every process of the run is gone", () -> processesOf(id).isEmpty());
  }

  @Test
  @Order(2)
  void aScriptThatIgnoresSigtermIsKilledAfterTheGrace() throws IOException {
    String id = start("stubborn", "{}");
    server.api.awaitLine(id, "ready");
    assertEquals(202, cancel(id).statusCode());
    List<SseEvent> events = server.api.follow(id);
    assertTrue(data(events, "stdout").contains("ignoring SIGTERM"), events.toString());
    assertEquals("137", events.get(events.size() - 1).data());
    assertEquals("CANCELLED", state(id));
    eventually("every process of the run is gone", () -> processesOf(id).isEmpty());
  }

  @Test
  @Order(3)
  void aFinishedRunCannotBeCancelled() {
    String id = start("hold", "{\"seconds\": 0}");
    server.api.follow(id);
    HttpResponse<String> answer = cancel(id);
    assertEquals(409, answer.statusCode());
    assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").get());
    assertEquals(404, cancel("r-nothing").statusCode());
  }

  @Test
  @Order(4)
  void aRunPastItsTimeoutIsStoppedAsTimedOut() {
    String id = start("timeout", "{}");
    List<SseEvent> events = server.api.follow(id);
    JsonObject end = Api.json(events.get(events.size() - 2).data()).asJsonObject();
    assertEquals("TIMED_OUT", end.getString("state"));
    assertEquals(143, end.getInt("exitCode"));
    assertEquals(JsonValue.NULL, end.get("cancelledBy"));
    eventually("every process of the run is gone", () -> processesOf(id).isEmpty());
  }

  @Test
  @Order(5)
  void aChildHoldingThePipeDoesNotHoldTheRunAndDoesNotSurviveIt() {
    String id = start("orphan", "{}");
    // the child sleeps for 300 s with the pipe open; the run ends with the script
    List<SseEvent> events = server.api.follow(id);
    assertEquals(List.of("leaving a child behind"), data(events, "stdout"));
    assertEquals("0", events.get(events.size() - 1).data());
    assertEquals("SUCCEEDED", state(id));
    eventually("the left-over child is gone", () -> processesOf(id).isEmpty());
    // a child that keeps printing does not keep the run open either (its pipes get 5 s in all)
    String chatty = start("orphan", "{\"chatty\": true}");
    List<SseEvent> more =
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> server.api.follow(chatty));
    assertTrue(data(more, "stdout").contains("leaving a child behind"), more.toString());
    assertEquals("0", more.get(more.size() - 1).data());
    assertEquals("SUCCEEDED", state(chatty));
    eventually("the printing child is gone", () -> processesOf(chatty).isEmpty());
  }

  @Test
  @Order(6)
  void aFullQueueAnswers429AndQueuedRunsStartInOrder() throws IOException {
    List<String> accepted = new ArrayList<>();
    int refused = 0;
    int historyBefore = Api.json(server.api.get("api/runs?limit=500").body()).asJsonArray().size();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> answer =
          server.api.post("api/runs", "application/json", "{\"script\": \"hold\"}");
      if (answer.statusCode() == 201) {
        String id = Api.json(answer.body()).asJsonObject().getString("id");
        accepted.add(id);
        started.add(id);
      } else {
        assertEquals(429, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").get());
        refused++;
      }
    }
    assertEquals(5, accepted.size());
    assertEquals(5, refused);
    eventually(
        "nothing of the refused runs was recorded",
        () ->
            Api.json(server.api.get("api/runs?limit=500").body()).asJsonArray().size()
                == historyBefore + 5);
    for (String id : accepted.subList(0, 2)) {
      server.api.awaitLine(id, "holding");
      assertEquals("RUNNING", state(id));
    }
    for (int i = 2; i < 5; i++) {
      JsonObject queued = run(accepted.get(i));
      assertEquals("QUEUED", queued.getString("state"));
      assertEquals(i - 1, queued.getInt("queuePosition"));
    }
    assertExecutingAtMost(2, accepted);

    // a queued run is cancelled without ever starting
    String second = accepted.get(3);
    assertEquals(202, cancel(second).statusCode());
    List<SseEvent> events = server.api.follow(second);
    assertEquals(List.of("state", "state", "result"), events.stream().map(SseEvent::type).toList());
    assertEquals("CANCELLED", Api.json(events.get(1).data()).asJsonObject().getString("state"));
    assertEquals("none", events.get(2).data());
    assertEquals(2, run(accepted.get(4)).getInt("queuePosition"));

    // each place that frees up goes to the oldest waiting run
    assertEquals(202, cancel(accepted.get(0)).statusCode());
    server.api.awaitLine(accepted.get(2), "holding");
    assertEquals("QUEUED", state(accepted.get(4)));
    assertExecutingAtMost(2, accepted);
    assertEquals(202, cancel(accepted.get(1)).statusCode());
    server.api.awaitLine(accepted.get(4), "holding");
    assertExecutingAtMost(2, accepted);
  }

  @Test
  @Order(7)
  void aScriptsOwnLimitQueuesItsExtraRuns() throws IOException {
    String first = start("single", "{}");
    String second = start("single", "{}");
    server.api.awaitLine(first, "holding");
    assertEquals("QUEUED", state(second));
    // the global limit has room: another script starts at once
    String other = start("hold", "{}");
    server.api.awaitLine(other, "holding");
    assertEquals("QUEUED", state(second));
    assertEquals(202, cancel(first).statusCode());
    server.api.awaitLine(second, "holding");
  }

  @Test
  @Order(8)
  void aStoppedServerLeavesNoProcessAndItsRunsAreInterrupted() throws Exception {
    String id = start("tree", "{}");
    server.api.awaitLine(id, "children started");
    server.stop();
    assertTrue(processesOf(id).isEmpty(), "left behind: " + processesOf(id));
    server = MicroServer.start(DATA, "process-control-2", LIMITS);
    assertEquals("INTERRUPTED", state(id));
    assertEquals(JsonValue.NULL, run(id).get("cancelledBy"));
  }

  /** Here because this class's server is one whose log a test can read. */
  @Test
  @Order(9)
  void aFailedLoginIsLoggedWithTheNameAndNeverThePassword() throws IOException {
    String password = "guessed-Password-7";
    assertEquals(
        401,
        server
            .api
            .withAuthorization(Api.basic("mallory", password))
            .get("api/scripts")
            .statusCode());
    eventually(
        "the failed login is logged",
        () -> {
          try {
            return server.log().contains("Failed login for user name \"mallory\"");
          } catch (IOException e) {
            return false;
          }
        });
    assertFalse(server.log().contains(password));
  }

  private static void assertExecutingAtMost(int limit, List<String> runs) {
    long executing = runs.stream().filter(id -> !processesOf(id).isEmpty()).count();
    assertTrue(executing <= limit, executing + " runs have processes");
    assertFalse(executing == 0);
  }
}
