package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.SseEvent.data;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The catalog, starting runs, what a process gets, and how runs end. */
class CatalogAndRunsIT extends OnPayaraMicro {

  private static JsonObject problem(HttpResponse<String> answer, int status) {
    assertEquals(status, answer.statusCode(), answer.body());
    assertEquals(
        "application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = Api.json(answer.body()).asJsonObject();
    assertEquals(status, problem.getInt("status"));
    assertFalse(problem.getString("title").isEmpty());
    return problem;
  }

  @Test
  void theCatalogListsTheValidEntriesAndLeavesOutTheBadOnes() {
    HttpResponse<String> answer = api.get("api/scripts");
    assertEquals(200, answer.statusCode());
    List<String> names =
        Api.json(answer.body()).asJsonArray().stream()
            .map(v -> v.asJsonObject().getString("name"))
            .toList();
    assertTrue(names.containsAll(List.of("args", "env", "exit", "line-rules", "count", "slow")));
    assertFalse(names.contains("broken"));
    assertFalse(names.contains("Bad_Name"));
  }

  @Test
  void oneEntryShowsItsTypedParameters() {
    JsonObject script = Api.json(api.get("api/scripts/args").body()).asJsonObject();
    assertEquals("Echo arguments", script.getString("title"));
    JsonArray parameters = script.getJsonArray("parameters");
    assertEquals(4, parameters.size());
    JsonObject mode = parameters.getJsonObject(3);
    assertEquals("choice", mode.getString("type"));
    assertEquals(
        List.of("fast", "slow"),
        mode.getJsonArray("choices").getValuesAs(v -> ((jakarta.json.JsonString) v).getString()));
    assertEquals("fast", mode.getString("default"));
    assertEquals(JsonValue.NULL, mode.get("pattern"));
    assertFalse(script.containsKey("command"), "the server's command line is not shown");
  }

  @Test
  void anUnknownScriptIsNotFound() {
    problem(api.get("api/scripts/nothing-here"), 404);
    problem(api.post("api/runs", "application/json", "{\"script\": \"nothing-here\"}"), 404);
  }

  @Test
  void everyBadParameterIsReportedAtOnceAndNothingStarts() {
    JsonObject problem =
        problem(
            api.post(
                "api/runs",
                "application/json",
                "{\"script\": \"args\", \"params\": {\"n\": \"7\", \"flag\": 1, \"mode\": \"turbo\", \"extra\": true}}"),
            400);
    Map<String, String> errors = new TreeMap<>();
    problem
        .getJsonArray("errors")
        .forEach(
            e ->
                errors.put(
                    e.asJsonObject().getString("field"), e.asJsonObject().getString("message")));
    assertEquals(
        Map.of(
            "text", "is required",
            "n", "must be an integer",
            "flag", "must be true or false",
            "mode", "must be one of fast, slow",
            "extra", "is not a parameter of args"),
        errors);
  }

  /** A misspelt member is an error, not ignored: {@code count} would start with its defaults. */
  @Test
  void aMemberTheBodyDoesNotHaveIsAnError() {
    JsonObject problem =
        problem(
            api.post(
                "api/runs",
                "application/json",
                "{\"script\": \"count\", \"parms\": {\"lines\": 3}}"),
            400);
    assertEquals("parms", problem.getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void aBodyThatIsNotJsonIsRefused() {
    problem(api.post("api/runs", "text/plain", "{\"script\": \"args\"}"), 415);
    problem(api.post("api/runs", "application/x-www-form-urlencoded", "script=args"), 415);
    problem(api.post("api/runs", "application/json", "{\"script\": "), 400);
    problem(api.post("api/runs", "application/json", "[1, 2]"), 400);
  }

  @Test
  void aStartAnswers201WithLocationAndTheRunObject() {
    HttpResponse<String> answer =
        api.post(
            "api/runs",
            "application/json",
            "{\"script\": \"args\", \"params\": {\"text\": \"hi\"}}");
    assertEquals(201, answer.statusCode());
    JsonObject run = Api.json(answer.body()).asJsonObject();
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertTrue(location.endsWith("/api/runs/" + run.getString("id")), location);
    assertTrue(run.getString("id").startsWith("r-"));
    assertEquals("args", run.getString("script"));
    assertEquals("hi", run.getJsonObject("params").getString("text"));
    assertEquals(7, run.getJsonObject("params").getInt("n"), "defaults are part of the run");
    for (String member :
        List.of(
            "state",
            "exitCode",
            "startedBy",
            "cancelledBy",
            "createdAt",
            "startedAt",
            "finishedAt",
            "lastEventId",
            "outputBytes")) {
      assertTrue(run.containsKey(member), member);
    }
    assertTrue(
        run.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    JsonObject links = run.getJsonObject("links");
    assertEquals(deployment.getPath() + "api/runs/" + run.getString("id"), links.getString("self"));
    assertEquals(links.getString("self") + "/events", links.getString("events"));

    api.follow(run.getString("id"));
    JsonObject done = Api.json(api.get("api/runs/" + run.getString("id")).body()).asJsonObject();
    assertEquals("SUCCEEDED", done.getString("state"));
    assertEquals(0, done.getInt("exitCode"));
    assertTrue(done.getInt("outputBytes") > 0);
    assertFalse(done.isNull("startedAt"));
    assertFalse(done.isNull("finishedAt"));
  }

  @Test
  void everyValueArrivesAsOneArgumentExactlyAsSent() {
    String hostile = "a b; rm -rf / $(touch /tmp/pwned) `id` * ~ ${n} \\ ' \" | & > x";
    JsonObject run =
        api.start(
            "args",
            "{\"text\": "
                + jakarta.json.Json.createValue(hostile)
                + ", \"n\": -3, \"flag\": true, \"mode\": \"slow\"}");
    List<SseEvent> events = api.follow(run.getString("id"));
    assertEquals(List.of(hostile, "--n=-3", "--flag=true", "--mode=slow"), data(events, "stdout"));
  }

  @Test
  void theProcessGetsACleanEnvironment() {
    JsonObject run = api.start("env", "{}");
    Map<String, String> environment = new TreeMap<>();
    String name = null;
    for (String line : data(api.follow(run.getString("id")), "stdout")) {
      int equals = line.indexOf('=');
      if (equals < 0) {
        // the test server cuts lines at 64 bytes: this piece continues the previous value
        environment.merge(name, line, String::concat);
        continue;
      }
      name = line.substring(0, equals);
      environment.put(name, line.substring(equals + 1));
    }
    assertEquals(
        List.of("EXTRA", "HOME", "LANG", "PARAM_WHO", "PATH", "SCRIPTCAST_RUN_ID"),
        List.copyOf(environment.keySet()));
    assertEquals("from the catalog", environment.get("EXTRA"));
    assertEquals("world", environment.get("PARAM_WHO"));
    assertEquals(run.getString("id"), environment.get("SCRIPTCAST_RUN_ID"));
    assertEquals("C.UTF-8", environment.get("LANG"));
    assertEquals(
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", environment.get("PATH"));
  }

  @Test
  void theProcessRunsInItsDeclaredFolderWithNoInput() {
    List<String> lines = data(api.follow(api.start("where", "{}").getString("id")), "stdout");
    assertTrue(lines.get(0).endsWith("/src/test/catalog/bin"), lines.get(0));
    assertEquals("/dev/null", lines.get(1));
  }

  @Test
  void exitCodeZeroSucceeds() {
    List<SseEvent> events = api.follow(api.start("exit", "{\"code\": 0}").getString("id"));
    SseEvent last = events.get(events.size() - 1);
    assertEquals("result", last.type());
    assertEquals("0", last.data());
    SseEvent end = events.get(events.size() - 2);
    assertEquals("state", end.type());
    assertEquals("SUCCEEDED", Api.json(end.data()).asJsonObject().getString("state"));
  }

  @Test
  void aNonZeroExitCodeFails() {
    List<SseEvent> events = api.follow(api.start("exit", "{\"code\": 3}").getString("id"));
    assertEquals("3", events.get(events.size() - 1).data());
    JsonObject end = Api.json(events.get(events.size() - 2).data()).asJsonObject();
    assertEquals("FAILED", end.getString("state"));
    assertEquals(3, end.getInt("exitCode"));
  }

  /** A program that is not there, and a script whose {@code #!} interpreter is not there. */
  @Test
  void aCommandThatCannotStartFailsWithResultNone() {
    for (String script : List.of("missing", "bad-interpreter")) {
      JsonObject run = api.start(script, "{}");
      List<SseEvent> events = api.follow(run.getString("id"));
      assertEquals(
          List.of("state", "stderr", "state", "result"),
          events.stream().map(SseEvent::type).toList(),
          script);
      assertTrue(events.get(1).data().contains("cannot start"), events.get(1).data());
      assertEquals("none", events.get(3).data());
      JsonObject done = Api.json(api.get("api/runs/" + run.getString("id")).body()).asJsonObject();
      assertEquals("FAILED", done.getString("state"));
      assertTrue(done.isNull("exitCode"));
    }
  }

  @Test
  void anUnknownRunIsNotFound() {
    problem(api.get("api/runs/r-nothing"), 404);
  }

  @Test
  void theStartPageListsTheCatalog() {
    HttpResponse<String> page = api.send(java.net.http.HttpRequest.newBuilder(api.uri("")).GET());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("data-script=\"args\""), page.body());
    assertTrue(page.body().contains("Echo arguments"));
    assertTrue(page.body().contains("console.js"));
  }
}
