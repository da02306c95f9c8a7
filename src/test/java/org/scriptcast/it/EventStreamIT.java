package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.SseEvent.data;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/runs/{id}/events}: framing, the line rules end to end, resuming, late joiners,
 * keep-alives, many followers and a stalled one. The server runs with maxLineBytes=64 and a 1 s
 * keep-alive (arquillian.xml).
 */
class EventStreamIT extends OnPayaraMicro {

  /** Ids 1..n, each once, in order, and the last event is the result. */
  private static void assertWholeLog(List<SseEvent> events, long firstId) {
    assertFalse(events.isEmpty());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(firstId + i, events.get(i).number(), "event " + i);
    }
    assertEquals("result", events.get(events.size() - 1).type());
    assertEquals(1, events.stream().filter(e -> e.type().equals("result")).count());
  }

  private String finishedRun(String script, String params) {
    String id = api.start(script, params).getString("id");
    api.follow(id);
    return id;
  }

  @Test
  void theStreamHasTheContractHeadersAndNoCompression() {
    String id = finishedRun("count", "{\"lines\": 3}");
    HttpResponse<String> answer =
        api.send(
            HttpRequest.newBuilder(api.uri("api/runs/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Accept-Encoding", "gzip, deflate"));
    assertEquals(200, answer.statusCode());
    assertEquals("text/event-stream", answer.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-cache", answer.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("no", answer.headers().firstValue("X-Accel-Buffering").orElse(""));
    assertTrue(answer.headers().firstValue("Content-Encoding").isEmpty());
    assertTrue(answer.body().startsWith("retry: "), answer.body());
    assertTrue(answer.body().contains("id: 1\nevent: state\ndata: {"), answer.body());
  }

  @Test
  void eventsAreNumberedFromOneAndTheRunEndsWithStateThenResult() {
    String id = api.start("count", "{\"lines\": 5}").getString("id");
    List<SseEvent> events = api.follow(id);
    assertWholeLog(events, 1);
    assertEquals(
        List.of(
            "state", "state", "stdout", "stdout", "stdout", "stdout", "stdout", "state", "result"),
        events.stream().map(SseEvent::type).toList());
    assertEquals("QUEUED", Api.json(events.get(0).data()).asJsonObject().getString("state"));
    assertEquals("RUNNING", Api.json(events.get(1).data()).asJsonObject().getString("state"));
    assertEquals(List.of("1", "2", "3", "4", "5"), data(events, "stdout"));
    assertEquals(8, Api.json(events.get(7).data()).asJsonObject().getInt("lastEventId"));
  }

  @Test
  void everyLineRuleHoldsEndToEnd() {
    String id = api.start("line-rules", "{}").getString("id");
    HttpResponse<String> raw =
        api.send(
            HttpRequest.newBuilder(api.uri("api/runs/" + id + "/events"))
                .header("Accept", "text/event-stream"));
    assertEquals(-1, raw.body().indexOf('\r'), "no raw CR ever reaches the stream");
    List<SseEvent> events = api.follow(id);
    assertEquals(
        List.of(
            "plain",
            "crlf",
            "before\nafter",
            "",
            "\uFFFD\uFFFDX",
            "héllo €uro 😀",
            "  two leading spaces",
            "forged\n\nevent: result\ndata: 0",
            "a".repeat(62),
            "€tail",
            "no newline at the end"),
        data(events, "stdout"));
    assertWholeLog(events, 1);
  }

  @Test
  void stdoutAndStderrInterleaveInTheOrderRead() {
    List<SseEvent> events = api.follow(api.start("interleave", "{}").getString("id"));
    List<String> output =
        events.stream()
            .filter(e -> e.type().startsWith("std"))
            .map(e -> e.type() + ":" + e.data())
            .toList();
    assertEquals(List.of("stdout:out 1", "stderr:err 1", "stdout:out 2", "stderr:err 2"), output);
  }

  @Test
  void linesArriveWhileTheScriptIsStillRunning() throws IOException {
    String id = api.start("slow", "{\"lines\": 3, \"pause\": \"1\"}").getString("id");
    HttpResponse<InputStream> answer = api.events(id, "");
    try (InputStream body = answer.body()) {
      SseParser parser = new SseParser(body);
      SseEvent event;
      do {
        event = parser.next();
      } while (!event.type().equals("stdout"));
      assertEquals("line 1", event.data());
      String state = Api.json(api.get("api/runs/" + id).body()).asJsonObject().getString("state");
      assertEquals("RUNNING", state);
      parser.readAll();
    }
  }

  @Test
  void aReconnectingClientResumesAfterLastEventId() throws IOException {
    String id = finishedRun("count", "{\"lines\": 30}");
    HttpResponse<InputStream> answer = api.events(id, "", "Last-Event-ID", "10");
    assertEquals(200, answer.statusCode());
    List<SseEvent> events = new SseParser(answer.body()).readAll();
    assertWholeLog(events, 11);
    assertEquals("9", events.get(0).data(), "event 11 is the ninth line");
  }

  @Test
  void aClientResumesAfterTheQueryParameter() throws IOException {
    String id = finishedRun("count", "{\"lines\": 30}");
    List<SseEvent> events = new SseParser(api.events(id, "?after=25").body()).readAll();
    assertWholeLog(events, 26);
  }

  @Test
  void theLastEventIdHeaderWinsOverTheQuery() throws IOException {
    String id = finishedRun("count", "{\"lines\": 30}");
    List<SseEvent> events =
        new SseParser(api.events(id, "?after=5", "Last-Event-ID", "20").body()).readAll();
    assertWholeLog(events, 21);
  }

  @Test
  void aFinishedRunPastItsLastEventAnswers204() {
    String id = finishedRun("count", "{\"lines\": 2}");
    // state QUEUED, RUNNING, 2 lines, final state, result
    assertEquals(204, api.events(id, "", "Last-Event-ID", "6").statusCode());
    assertEquals(204, api.events(id, "?after=6").statusCode());
    assertEquals(204, api.events(id, "?after=600").statusCode());
    assertEquals(200, api.events(id, "?after=5").statusCode());
  }

  /**
   * The batched stream ({@code ?format=batch}, the console's): output events that are ready
   * together go as one {@code batch} event, a JSON array of {@code {id, event, data, time}}, whose
   * SSE id is that of its last item; {@code state} and {@code result} are never in a batch; every
   * event arrives once, in order, from the first to the result.
   */
  @Test
  void theBatchedStreamCarriesEveryEventOnceInOrder() throws IOException {
    int count = 20_000;
    String id = api.start("count", "{\"lines\": " + count + "}").getString("id");
    List<SseEvent> events = new SseParser(api.events(id, "?format=batch").body()).readAll();
    long next = 1;
    int batches = 0;
    List<String> lines = new ArrayList<>();
    for (SseEvent event : events) {
      if (event.type().equals("batch")) {
        batches++;
        for (JsonValue item : Api.json(event.data()).asJsonArray()) {
          JsonObject output = item.asJsonObject();
          assertEquals(next++, output.getJsonNumber("id").longValue(), event.data());
          assertEquals("stdout", output.getString("event"));
          assertTrue(output.getString("time").endsWith("Z"), output.toString());
          lines.add(output.getString("data"));
        }
        assertEquals(next - 1, event.number(), "a batch's id is its last event's");
      } else {
        assertTrue(List.of("state", "result").contains(event.type()), event.type());
        assertEquals(next++, event.number());
      }
    }
    assertEquals(IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList(), lines);
    assertTrue(batches < count, "lines that are ready together share a batch: " + batches);
    assertEquals("result", events.get(events.size() - 1).type());
    assertEquals("0", events.get(events.size() - 1).data());
  }

  /**
   * A client that resumes after an id a live run has not reached (it cannot have seen one) waits,
   * and once the run ends its stream ends too, empty: it does not wait for an event that never
   * comes. The next request gets 204.
   */
  @Test
  void aStreamPastTheEndOfALiveRunEndsWithTheRun() {
    String id = api.start("hold", "{\"seconds\": 300}").getString("id");
    HttpResponse<InputStream> past = api.events(id, "?after=600");
    assertEquals(200, past.statusCode());
    assertEquals(202, api.post("api/runs/" + id + "/cancel", "application/json", "").statusCode());
    List<SseEvent> events =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> new SseParser(past.body()).readAll());
    assertEquals(List.of(), events);
    assertEquals(204, api.events(id, "?after=600").statusCode());
  }

  @Test
  void badCursorsAndUnknownRunsAreRefused() {
    String id = finishedRun("count", "{\"lines\": 1}");
    assertEquals(400, api.events(id, "?format=lines").statusCode());
    assertEquals(400, api.events(id, "?after=-1").statusCode());
    assertEquals(400, api.events(id, "", "Last-Event-ID", "abc").statusCode());
    assertEquals(404, api.events("r-nothing", "").statusCode());
  }

  @Test
  void aLateJoinerGetsTheWholeLogThenTheLiveEvents() throws IOException {
    String id = api.start("slow", "{\"lines\": 6, \"pause\": \"0.3\"}").getString("id");
    HttpResponse<InputStream> early = api.events(id, "");
    SseParser first = new SseParser(early.body());
    List<SseEvent> firstEvents = new ArrayList<>();
    while (firstEvents.size() < 4) {
      firstEvents.add(first.next());
    }
    List<SseEvent> late = api.follow(id);
    firstEvents.addAll(first.readAll());
    assertWholeLog(late, 1);
    assertEquals(firstEvents, late);
    assertEquals(6, data(late, "stdout").size());
  }

  @Test
  void anIdleStreamGetsKeepAliveComments() throws IOException {
    String id = api.start("slow", "{\"lines\": 2, \"pause\": \"2.5\"}").getString("id");
    SseParser parser = new SseParser(api.events(id, "").body());
    parser.readAll();
    assertTrue(parser.comments().contains("keep-alive"), parser.comments().toString());
    assertEquals("2000", parser.retry());
  }

  @Test
  void manyFollowersOfOneRunAllGetEveryEvent() throws Exception {
    int lines = 20_000;
    int followers = 20;
    String id = api.start("count", "{\"lines\": " + lines + "}").getString("id");
    ExecutorService clients = Executors.newFixedThreadPool(followers);
    try {
      List<Future<List<SseEvent>>> results = new ArrayList<>();
      for (int i = 0; i < followers; i++) {
        results.add(clients.submit(() -> api.follow(id)));
      }
      for (Future<List<SseEvent>> result : results) {
        List<SseEvent> events = result.get(120, TimeUnit.SECONDS);
        assertWholeLog(events, 1);
        List<String> stdout = data(events, "stdout");
        assertEquals(lines, stdout.size());
        for (int i = 0; i < lines; i++) {
          assertEquals(Integer.toString(i + 1), stdout.get(i));
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * A client that connects and then reads nothing: the server's socket buffers fill up, and it
   * writes to that client no more until it reads. The run must still go on at full speed for
   * everyone else, and the stalled client, once it reads, gets every event without a gap.
   */
  @Test
  void aStalledFollowerDoesNotSlowTheRunAndLaterGetsEverything() throws Exception {
    int lines = 200_000;
    String id = api.start("count", "{\"lines\": " + lines + "}").getString("id");
    try (Socket stalled = stalledClient(id)) {
      List<SseEvent> events = api.follow(id);
      assertWholeLog(events, 1);
      assertEquals(lines, data(events, "stdout").size());
      String state = Api.json(api.get("api/runs/" + id).body()).asJsonObject().getString("state");
      assertEquals("SUCCEEDED", state, "the run ended while a follower had read nothing");

      InputStream body = stalled.getInputStream();
      skipHeaders(body);
      List<SseEvent> caughtUp = new SseParser(body).readAll();
      assertEquals(events, caughtUp);
    }
  }

  /**
   * More clients that stop reading than there are sender threads (the ITs' servers have 4): none
   * may hold a thread while it does not read, or every other stream stops until they read or the
   * server's write timeout drops them (a minute). The run's other follower gets everything while
   * they are stalled, and each of them, once it reads, gets every event too.
   */
  @Test
  void stalledClientsHoldNoSenderThread() throws Exception {
    int lines = 300_000;
    String id = api.start("count", "{\"lines\": " + lines + "}").getString("id");
    List<Socket> stalled = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(6);
    try {
      for (int i = 0; i < 6; i++) {
        stalled.add(stalledClient(id));
      }
      List<SseEvent> events = api.follow(id);
      assertWholeLog(events, 1);
      assertEquals(lines, data(events, "stdout").size());
      List<Future<List<SseEvent>>> caughtUp = new ArrayList<>();
      for (Socket client : stalled) {
        caughtUp.add(
            readers.submit(
                () -> {
                  InputStream body = client.getInputStream();
                  skipHeaders(body);
                  return new SseParser(body).readAll();
                }));
      }
      for (Future<List<SseEvent>> read : caughtUp) {
        List<SseEvent> got = read.get(2, TimeUnit.MINUTES);
        // not assertEquals: its message would hold 300,000 events
        assertTrue(events.equals(got), "a stalled client got " + got.size() + " events");
      }
    } finally {
      readers.shutdownNow();
      for (Socket client : stalled) {
        client.close();
      }
    }
  }

  /** A client that asks for the run's events and reads nothing until the test reads for it. */
  private Socket stalledClient(String id) throws IOException {
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(new java.net.InetSocketAddress("127.0.0.1", deployment.getPort()));
    OutputStream request = stalled.getOutputStream();
    request.write(
        ("GET "
                + deployment.getPath()
                + "api/runs/"
                + id
                + "/events HTTP/1.0\r\n"
                + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: "
                + Api.basic("admin", "admin-password")
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    request.flush();
    return stalled;
  }

  private static void skipHeaders(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      assertNotNull(b >= 0 ? b : null, "the stream ended before its headers");
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }
}
