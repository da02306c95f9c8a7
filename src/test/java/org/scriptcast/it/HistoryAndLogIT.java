package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.Api.eventually;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history, the raw log and the long-poll form of the events: what is there for later. */
class HistoryAndLogIT extends OnPayaraMicro {

  private List<String> historyIds(String query) {
    HttpResponse<String> answer = api.get("api/runs" + query);
    assertEquals(200, answer.statusCode(), answer.body());
    return Api.json(answer.body()).asJsonArray().stream()
        .map(run -> run.asJsonObject().getString("id"))
        .toList();
  }

  private String finishedRun(String script, String params) {
    String id = api.start(script, params).getString("id");
    api.follow(id);
    return id;
  }

  private JsonObject storedRun(String id) {
    return Api.json(api.get("api/runs?limit=500").body()).asJsonArray().stream()
        .map(JsonValue::asJsonObject)
        .filter(run -> run.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theHistoryListsRunsNewestFirstAndPagesWithBefore() {
    String first = finishedRun("count", "{\"lines\": 1}");
    String second = finishedRun("count", "{\"lines\": 2}");
    String third = finishedRun("count", "{\"lines\": 3}");
    List<String> ids = historyIds("?script=count&limit=500");
    assertTrue(ids.indexOf(third) < ids.indexOf(second), ids.toString());
    assertTrue(ids.indexOf(second) < ids.indexOf(first), ids.toString());
    assertEquals(List.of(second), historyIds("?script=count&limit=1&before=" + third));
    assertEquals(List.of(second, first), historyIds("?script=count&limit=2&before=" + third));
    assertTrue(historyIds("?script=no-such-script").isEmpty());
  }

  @Test
  void theHistoryFiltersByStateOnceTheRunIsStored() {
    String failed = finishedRun("exit", "{\"code\": 3}");
    eventually(
        "the FAILED run is stored", () -> "FAILED".equals(storedRun(failed).getString("state")));
    JsonObject run = storedRun(failed);
    assertEquals(3, run.getInt("exitCode"));
    assertEquals("exit", run.getString("script"));
    assertEquals(JsonValue.NULL, run.get("cancelledBy"));
    assertTrue(historyIds("?state=FAILED&limit=500").contains(failed));
    assertFalse(historyIds("?state=SUCCEEDED&limit=500").contains(failed));
  }

  @Test
  void badHistoryQueriesAreRefused() {
    for (String query : List.of("?state=DONE", "?limit=0", "?limit=501", "?limit=many")) {
      HttpResponse<String> answer = api.get("api/runs" + query);
      assertEquals(400, answer.statusCode(), query);
      assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").get());
    }
  }

  @Test
  void theLogIsTheOutputAsPlainTextInEventOrder() {
    String id = finishedRun("interleave", "{}");
    HttpResponse<String> log = api.get("api/runs/" + id + "/log", "*/*");
    assertEquals(200, log.statusCode());
    assertEquals("text/plain;charset=UTF-8", log.headers().firstValue("Content-Type").get());
    assertEquals(
        "attachment; filename=\"interleave-" + id + ".log\"",
        log.headers().firstValue("Content-Disposition").get());
    assertEquals("out 1\nerr 1\nout 2\nerr 2\n", log.body());
    assertEquals("out 1\nout 2\n", api.get("api/runs/" + id + "/log?stream=stdout", "*/*").body());
    assertEquals("err 1\nerr 2\n", api.get("api/runs/" + id + "/log?stream=stderr", "*/*").body());
    assertEquals(400, api.get("api/runs/" + id + "/log?stream=both", "*/*").statusCode());
    assertEquals(404, api.get("api/runs/r-nothing/log", "*/*").statusCode());
  }

  @Test
  void aLongRunReadsBackTheSameEveryWay() {
    // 5,000 lines: several stored blocks, read back from the database once the run has ended
    String id = api.start("count", "{\"lines\": 5000}").getString("id");
    List<SseEvent> live = api.follow(id);
    assertEquals(5004, live.size());
    List<JsonObject> polled = api.pollToEnd(id);
    assertEquals(live.size(), polled.size());
    for (int i = 0; i < live.size(); i++) {
      assertEquals(live.get(i).number(), polled.get(i).getJsonNumber("id").longValue());
      assertEquals(live.get(i).type(), polled.get(i).getString("event"));
      assertEquals(live.get(i).data(), polled.get(i).getString("data"));
    }
    eventually("the run is stored", () -> storedRun(id).getInt("lastEventId") == 5004);
    assertEquals(live, api.follow(id));
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      lines.append(i).append('\n');
    }
    assertEquals(lines.toString(), api.get("api/runs/" + id + "/log", "*/*").body());
  }

  @Test
  void aLongPollAnswersAsSoonAsAnEventArrives() {
    String id = api.start("slow", "{\"lines\": 3, \"pause\": \"0.5\"}").getString("id");
    long after = 0;
    JsonObject page = api.poll(id, after, 30);
    while (!page.getBoolean("done")) {
      List<JsonObject> events = page.getJsonArray("events").getValuesAs(JsonValue::asJsonObject);
      assertFalse(events.isEmpty(), "a poll that waited 30 s answered before any event");
      assertEquals(after + 1, events.get(0).getJsonNumber("id").longValue());
      assertTrue(events.get(0).getString("time").endsWith("Z"));
      after = page.getJsonNumber("lastEventId").longValue();
      page = api.poll(id, after, 30);
    }
    assertEquals("result", last(page).getString("event"));
    assertEquals("0", last(page).getString("data"));
  }

  @Test
  void aLongPollWithNothingNewAnswersEmptyAfterItsWait() {
    String id = api.start("slow", "{\"lines\": 2, \"pause\": \"20\"}").getString("id");
    // events 1 and 2 are QUEUED and RUNNING, 3 is "line 1", then the script sleeps
    long after = 0;
    while (after < 3) {
      after = api.poll(id, after, 30).getJsonNumber("lastEventId").longValue();
    }
    JsonObject page = api.poll(id, 3, 1);
    assertTrue(page.getJsonArray("events").isEmpty(), page.toString());
    assertEquals(3, page.getJsonNumber("lastEventId").longValue());
    assertFalse(page.getBoolean("done"));
  }

  @Test
  void aLongPollPastTheEndOfAFinishedRunIsDone() {
    String id = finishedRun("exit", "{\"code\": 0}");
    JsonObject page = api.poll(id, 99, 30);
    assertTrue(page.getJsonArray("events").isEmpty());
    assertTrue(page.getBoolean("done"));
  }

  @Test
  void badLongPollsAreRefused() {
    String id = finishedRun("exit", "{\"code\": 0}");
    assertEquals(400, api.get("api/runs/" + id + "/events?wait=soon").statusCode());
    assertEquals(400, api.get("api/runs/" + id + "/events?after=-1").statusCode());
    assertEquals(404, api.get("api/runs/r-nothing/events?after=0").statusCode());
  }

  @Test
  void aClientThatAcceptsAnythingGetsTheEventStream() {
    String id = finishedRun("exit", "{\"code\": 0}");
    HttpResponse<String> answer = api.get("api/runs/" + id + "/events", "*/*");
    assertEquals("text/event-stream", answer.headers().firstValue("Content-Type").get());
    assertTrue(answer.body().contains("event: result\ndata: 0\n"), answer.body());
  }

  private static JsonObject last(JsonObject page) {
    List<JsonObject> events = page.getJsonArray("events").getValuesAs(JsonValue::asJsonObject);
    return events.get(events.size() - 1);
  }
}
