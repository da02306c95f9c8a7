package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What operators watch, served by Payara Micro beside the application: MicroProfile Health, Metrics
 * and OpenAPI; and the EAR that {@code mvn package} builds (profile {@code ear}).
 */
class OperationsIT {

  private static MicroServer server;

  @BeforeAll
  static void start() {
    server = MicroServer.start(Path.of("target", "operations-data"), "operations");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void healthSaysReadyOnceTheCatalogIsLoadedAndTheDatabaseAnswers() {
    HttpResponse<String> ready = server.api.get("health/ready", "application/json");
    assertEquals(200, ready.statusCode(), ready.body());
    JsonObject check =
        Api.json(ready.body()).asJsonObject().getJsonArray("checks").getJsonObject(0);
    assertEquals("scriptcast", check.getString("name"));
    assertEquals("UP", check.getString("status"));
    assertEquals("answers", check.getJsonObject("data").getString("database"));
    assertEquals(200, server.api.get("health/live", "application/json").statusCode());
  }

  @Test
  void metricsCountRunsLinesFollowersAndEvents() {
    String id = server.api.start("count", "{\"lines\": 5}").getString("id");
    server.api.follow(id);
    Api.eventually(
        "the metrics count the five lines",
        () -> {
          String metrics = server.api.get("metrics?scope=application", "text/plain").body();
          return metrics.contains("scriptcast_runs_active")
              && metrics.contains("scriptcast_runs_queued")
              && metrics.contains("scriptcast_followers")
              && metrics.contains("scriptcast_events_appended")
              && metrics.contains("scriptcast_lines_read_per_second")
              && value(metrics, "scriptcast_lines_read") >= 5
              && value(metrics, "scriptcast_events_stored") >= 5;
        });
    // once the run has left memory, a new follower reads its events back from the database
    double before = value(metrics(), "scriptcast_events_read_from_database");
    Api.eventually(
        "a follower of the finished run reads its events from the database",
        () -> {
          assertEquals(9, server.api.follow(id).size()); // 5 lines, 3 states and the result
          return value(metrics(), "scriptcast_events_read_from_database") >= before + 9;
        });
  }

  private String metrics() {
    return server.api.get("metrics?scope=application", "text/plain").body();
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() {
    HttpResponse<String> document = server.api.get("openapi", "text/plain");
    assertEquals(200, document.statusCode());
    for (String path :
        List.of(
            "/api/scripts:",
            "/api/runs:",
            "/api/runs/{id}:",
            "/api/runs/{id}/events:",
            "/api/runs/{id}/log:",
            "/api/runs/{id}/cancel:")) {
      assertTrue(document.body().contains(path), path + " in\n" + document.body());
    }
  }

  @Test
  void theApiIsDescribedOnlyByTheOpenApiDocument() {
    // Jersey's WADL is switched off (ScriptcastApplication): one description of the API, not two
    assertEquals(404, server.api.get("api/application.wadl", "application/xml").statusCode());
  }

  /** The value of the first sample of a metric in the Prometheus text format, or -1. */
  private static double value(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
