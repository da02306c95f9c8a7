package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.Api.eventually;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Payara Micro servers in one Hazelcast cluster (tcpip members on loopback) on one PostgreSQL
 * database: a run started through A is followed, cancelled and finished through B.
 */
@NeedsPostgresql
@ExtendWith(DatabaseReachable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static MicroServer a;
  private static MicroServer b;

  @BeforeAll
  static void start() {
    String cluster = "scriptcast-it-" + UUID.randomUUID();
    int portA = MicroServer.freePort();
    int portB = MicroServer.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    a = member(cluster, portA, members, "cluster-a");
    b = member(cluster, portB, members, "cluster-b");
    eventually(
        "both servers are in one cluster",
        Duration.ofSeconds(60),
        () -> logHas(a, "Data Grid Instance Added"));
  }

  private static MicroServer member(String cluster, int port, String members, String name) {
    return MicroServer.start(
        MicroServer.member(cluster, port, members),
        Path.of("target", name),
        name,
        "-Dscriptcast.db.url=" + System.getProperty("postgresql.url"),
        "-Dscriptcast.db.user=" + System.getProperty("postgresql.user"),
        "-Dscriptcast.db.password=" + System.getProperty("postgresql.password"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (MicroServer server : new MicroServer[] {a, b}) {
      if (server != null) {
        server.stop();
      }
    }
  }

  private static boolean logHas(MicroServer server, String text) {
    try {
      return server.log().contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private static String state(MicroServer server, String id) {
    return Api.json(server.api.get("api/runs/" + id).body()).asJsonObject().getString("state");
  }

  @Test
  @Order(1)
  void aRunStartedOnOneServerIsFollowedLiveOnTheOtherExactlyOnce() {
    String id = a.api.start("slow", "{\"lines\": 30, \"pause\": \"0.05\"}").getString("id");
    List<SseEvent> events = b.api.follow(id);
    List<Long> ids = events.stream().map(SseEvent::number).toList();
    assertEquals(LongStream.rangeClosed(1, ids.size()).boxed().toList(), ids, "ids once, in order");
    List<String> lines = SseEvent.data(events, "stdout");
    assertEquals(30, lines.size(), lines.toString());
    for (int i = 0; i < 30; i++) {
      assertEquals("line " + (i + 1), lines.get(i));
    }
    assertEquals("0", events.get(events.size() - 1).data());
    assertEquals("SUCCEEDED", state(b, id));
  }

  @Test
  @Order(2)
  void aCancelThroughOneServerStopsTheRunExecutingOnTheOther() throws IOException {
    String id = a.api.start("hold", "{\"seconds\": 300}").getString("id");
    b.api.awaitLine(id, "holding");
    assertFalse(ProcessControlIT.processesOf(id).isEmpty(), "the script runs");
    JsonObject answer =
        Api.json(b.api.post("api/runs/" + id + "/cancel", "application/json", "").body())
            .asJsonObject();
    assertEquals("admin", answer.getString("cancelledBy"));
    eventually("the run is CANCELLED", () -> "CANCELLED".equals(state(a, id)));
    eventually("B sees it CANCELLED", () -> "CANCELLED".equals(state(b, id)));
    assertTrue(ProcessControlIT.processesOf(id).isEmpty(), "no process of the run is left");
  }

  @Test
  @Order(3) // last: it kills A
  void whenAServerDiesTheOtherInterruptsItsRuns() throws Exception {
    String id = a.api.start("hold", "{\"seconds\": 300}").getString("id");
    b.api.awaitLine(id, "holding");
    List<SseEvent> seen = new ArrayList<>();
    Thread follower =
        new Thread(
            () -> {
              try (InputStream body = b.api.events(id, "").body()) {
                SseParser parser = new SseParser(body);
                for (SseEvent event = parser.next(); event != null; event = parser.next()) {
                  synchronized (seen) {
                    seen.add(event);
                  }
                }
              } catch (IOException e) {
                // the assertions below tell what was missing
              }
            });
    follower.start();
    a.kill();
    eventually(
        "B marks the run INTERRUPTED",
        Duration.ofSeconds(60),
        () -> "INTERRUPTED".equals(state(b, id)));
    follower.join(30_000);
    synchronized (seen) {
      SseEvent last = seen.get(seen.size() - 1);
      assertEquals("result", last.type(), seen.toString());
      assertEquals("none", last.data());
    }
    // the script outlived the killed server (nothing can stop it then): clean up after the test
    for (long pid : ProcessControlIT.processesOf(id)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
