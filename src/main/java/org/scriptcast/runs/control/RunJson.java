package org.scriptcast.runs.control;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunEvent;

/** The run object of API.md. Members with no value are present as {@code null}. */
public final class RunJson {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private RunJson() {}

  /**
   * @param basePath the application's context path, so links work behind any context root
   */
  public static JsonObject of(Run run, long lastEventId, String basePath) {
    return of(run, lastEventId, basePath, 0);
  }

  /**
   * @param queuePosition for a QUEUED run, 1 for the next to start, and so on; 0 shows as null
   */
  public static JsonObject of(Run run, long lastEventId, String basePath, int queuePosition) {
    String self = basePath + "/api/runs/" + run.id();
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("id", run.id())
            .add("script", run.script())
            .add("params", run.params())
            .add("state", run.state().name());
    nullable(json, "queuePosition", queuePosition > 0 ? queuePosition : null);
    nullable(json, "exitCode", run.exitCode());
    nullable(json, "startedBy", run.startedBy());
    nullable(json, "cancelledBy", run.cancelledBy());
    nullable(json, "createdAt", time(run.createdAt()));
    nullable(json, "startedAt", time(run.startedAt()));
    nullable(json, "finishedAt", time(run.finishedAt()));
    return json.add("lastEventId", lastEventId)
        .add("outputBytes", run.outputBytes())
        .add(
            "links",
            JSON.createObjectBuilder()
                .add("self", self)
                .add("events", self + "/events")
                .add("log", self + "/log")
                .add("page", basePath + "/run.xhtml?id=" + run.id()))
        .build();
  }

  /**
   * One event as JSON (the long-poll answer, the batch stream): {@code {id, event, data, time}}.
   */
  public static JsonObject event(RunEvent event) {
    return JSON.createObjectBuilder()
        .add("id", event.id())
        .add("event", event.type().wireName())
        .add("data", event.data())
        .add("time", TIME.format(Instant.ofEpochMilli(event.time())))
        .build();
  }

  /** ISO-8601 UTC with milliseconds, the one time format of the API. */
  public static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  private static void nullable(JsonObjectBuilder json, String name, Object value) {
    if (value == null) {
      json.addNull(name);
    } else if (value instanceof Integer number) {
      json.add(name, number);
    } else {
      json.add(name, value.toString());
    }
  }
}
