package org.scriptcast.runs.boundary;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.catalog.control.ParameterValidator;
import org.scriptcast.catalog.control.ParameterValidator.FieldError;
import org.scriptcast.catalog.entity.Parameter;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.platform.Problem;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.control.RunJson;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.RunQueue;
import org.scriptcast.runs.control.RunStore;
import org.scriptcast.runs.control.Runs;
import org.scriptcast.runs.entity.AuditEntry;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunState;
import org.scriptcast.security.Caller;

/** {@code /api/runs}: start a run, cancel it, read one, and the history. */
@Path("runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

  static final String MASK = "***";

  static final int DEFAULT_LIMIT = 50;

  static final int MAX_LIMIT = 500;

  /** What a client refused for a full queue is told to wait, in seconds. */
  static final int RETRY_AFTER_SECONDS = 10;

  @Inject Catalog catalog;
  @Inject Runs runs;
  @Inject RunLauncher launcher;
  @Inject RunQueue queue;
  @Inject Settings settings;
  @Inject Caller caller;
  @Inject VisibleRuns visible;
  @Inject RunStore store;

  @Context UriInfo uriInfo;

  /**
   * Body {@code {"script": "name", "params": {...}}}. Only JSON is taken (415 otherwise), so that a
   * cross-site HTML form cannot start anything.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(InputStream body) {
    JsonObject request;
    try (JsonReader reader = JSON.createReader(body)) {
      request = reader.readObject();
    } catch (RuntimeException e) {
      // JSON-P reports a bad body as JsonException, IllegalStateException or NoSuchElementException
      return Problem.of(Response.Status.BAD_REQUEST, "The body must be a JSON object");
    }
    // a misspelt member ("parms") would otherwise start the script with its defaults
    List<FieldError> unknown = new ArrayList<>();
    for (String member : request.keySet()) {
      if (!member.equals("script") && !member.equals("params")) {
        unknown.add(new FieldError(member, "is not a member of the body (script, params)"));
      }
    }
    if (!unknown.isEmpty()) {
      return Problem.invalidParameters(unknown);
    }
    JsonValue name = request.get("script");
    if (!(name instanceof JsonString scriptName)) {
      return Problem.invalidParameters(List.of(new FieldError("script", "is required")));
    }
    Script script =
        catalog
            .find(scriptName.getString())
            .orElseThrow(() -> new NotFoundException("No script named " + scriptName.getString()));
    if (!caller.mayRun(script)) {
      // the entry's roles are the operator's business: GET /api/scripts does not show them either
      return Problem.of(Response.Status.FORBIDDEN, "You may not run " + script.name());
    }
    JsonValue params = request.getOrDefault("params", JsonValue.EMPTY_JSON_OBJECT);
    if (params == JsonValue.NULL) {
      params = JsonValue.EMPTY_JSON_OBJECT;
    }
    if (params.getValueType() != JsonValue.ValueType.OBJECT) {
      return Problem.invalidParameters(List.of(new FieldError("params", "must be an object")));
    }
    ParameterValidator.Outcome outcome = ParameterValidator.validate(script, params.asJsonObject());
    if (!outcome.valid()) {
      return Problem.invalidParameters(outcome.errors());
    }
    Run run =
        new Run(
            runs.newId(), script.name(), shown(script, outcome.values()), user(), Instant.now());
    Optional<RunLog> log =
        launcher.launch(run, script, CommandLine.of(script, outcome.values(), run.id()));
    if (log.isEmpty() && queue.stopping()) {
      return Problem.of(
          Response.Status.SERVICE_UNAVAILABLE, "The server is stopping: nothing was started");
    }
    if (log.isEmpty()) {
      return Response.fromResponse(
              Problem.of(
                  Response.Status.TOO_MANY_REQUESTS,
                  "The queue is full: "
                      + settings.maxConcurrentRuns()
                      + " runs are executing and "
                      + settings.queueCapacity()
                      + " waiting. Nothing was started; try again later."))
          .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
          .build();
    }
    store.audit(run.id(), caller.name(), AuditEntry.Action.STARTED);
    return Response.created(uriInfo.getBaseUriBuilder().path("runs").path(run.id()).build())
        .entity(runs.json(log.get()))
        .build();
  }

  /**
   * Stops a queued or executing run: 202 with the run object (it ends CANCELLED once its process
   * has stopped), 409 when it has already ended.
   */
  @POST
  @Path("{id}/cancel")
  public Response cancel(@PathParam("id") String id) {
    RunLog log = visible.find(id);
    if (!caller.mayCancel(log.run())) {
      return Problem.of(
          Response.Status.FORBIDDEN, "Only the one who started a run and admin may cancel it");
    }
    if (!launcher.cancel(log.run(), caller.name())) {
      return Problem.of(
          Response.Status.CONFLICT, "Run " + id + " has already ended " + log.run().state());
    }
    store.audit(id, caller.name(), AuditEntry.Action.CANCELLED);
    return Response.accepted(runs.json(log)).build();
  }

  /** Who started, cancelled, followed and downloaded the run, oldest first. */
  @GET
  @Path("{id}/audit")
  public JsonArray audit(@PathParam("id") String id) {
    visible.find(id);
    JsonArrayBuilder list = JSON.createArrayBuilder();
    for (AuditEntry entry : store.audit(id)) {
      list.add(
          JSON.createObjectBuilder()
              .add("time", RunJson.time(Instant.ofEpochMilli(entry.at())))
              .add("user", entry.user())
              .add("action", entry.action()));
    }
    return list.build();
  }

  /**
   * History, newest first: {@code ?script=}, {@code ?state=}, {@code ?limit=} (default {@value
   * #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) and {@code ?before=ID} for the next page.
   */
  @GET
  public Response history(
      @QueryParam("script") String script,
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    RunState only;
    try {
      only = state == null ? null : RunState.valueOf(state);
    } catch (IllegalArgumentException e) {
      return Problem.of(
          Response.Status.BAD_REQUEST,
          "state must be one of " + Arrays.toString(RunState.values()).replaceAll("[\\[\\]]", ""));
    }
    int count;
    try {
      count = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit.trim());
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1 || count > MAX_LIMIT) {
      return Problem.of(
          Response.Status.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
    JsonArrayBuilder list = JSON.createArrayBuilder();
    Set<String> scripts =
        caller.isAdmin()
            ? null
            : catalog.scripts().stream()
                .filter(caller::mayRun)
                .map(Script::name)
                .collect(Collectors.toSet());
    runs.history(script, only, before, count, scripts).forEach(list::add);
    return Response.ok(list.build()).build();
  }

  @GET
  @Path("{id}")
  public JsonObject one(@PathParam("id") String id) {
    return runs.json(visible.find(id));
  }

  /** The parameters as people see them: secret values are never shown. */
  private static JsonObject shown(Script script, Map<String, JsonValue> values) {
    JsonObjectBuilder shown = JSON.createObjectBuilder();
    values.forEach(
        (name, value) -> {
          Parameter parameter = script.parameter(name);
          shown.add(name, parameter.secret() ? JSON.createValue(MASK) : value);
        });
    return shown.build();
  }

  private String user() {
    return caller.name();
  }
}
