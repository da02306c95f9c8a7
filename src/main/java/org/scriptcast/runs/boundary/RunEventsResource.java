package org.scriptcast.runs.boundary;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scriptcast.runs.control.Followers;
import org.scriptcast.runs.control.RunJson;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.Runs;
import org.scriptcast.runs.entity.AuditEntry;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;
import org.scriptcast.security.Caller;

/**
 * {@code /api/runs/{id}/events}: a run's events, past and live, as Server-Sent Events, or as
 * long-poll JSON pages for clients without EventSource.
 */
@Path("runs/{id}/events")
// one instance: per request, the container looked up the executor below in JNDI for every new
// resource, and its lookup copies the object by Java serialization (async-profiler: NamingUtilsImpl
// .makeCopyOfObject on every follow request; its C2 compilation came late in the benchmark, 0.3 s)
@ApplicationScoped
public class RunEventsResource {

  /**
   * JSON is served only to a client that prefers it: a client that accepts anything ({@code curl},
   * {@code Accept: *}{@code /*}) gets the event stream.
   */
  static final String LONG_POLL = "application/json;qs=0.5";

  /** Longest long-poll wait, in seconds. */
  static final int MAX_WAIT_SECONDS = 30;

  /** Events in one long-poll answer at most. */
  static final int PAGE_EVENTS = 1000;

  @Inject VisibleRuns visible;
  @Inject Runs runs;
  @Inject Followers followers;
  @Inject Watchers watchers;
  @Inject Caller caller;

  /** Runs the answer of a long poll that was woken by an append (never on the appending thread). */
  @Resource ManagedExecutorService answers;

  /**
   * Starts after {@code Last-Event-ID} if the client sent one (a reconnecting EventSource), else
   * after {@code ?after=N}, else from the first event. The request thread returns at once: the
   * events go out on a sender thread. No {@code Sse} is needed: a follower sends its events already
   * encoded, as {@code EventStreamChunk}s.
   */
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void follow(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
      @QueryParam("after") String after,
      @QueryParam("format") String format,
      @Context SseEventSink sink,
      @Context HttpServletRequest request) {
    boolean batch = "batch".equals(format);
    if (format != null && !batch) {
      throw new BadRequestException("format must be batch, or absent");
    }
    RunLog log = find(id);
    long start =
        lastEventId != null
            ? eventId(lastEventId, HttpHeaders.LAST_EVENT_ID_HEADER)
            : after != null ? eventId(after, "after") : 0;
    if (log.isComplete() && start >= log.lastEventId()) {
      // tells a conforming EventSource to stop reconnecting
      throw new WebApplicationException(Response.noContent().build());
    }
    // a reconnect (Last-Event-ID) is the same follower again, recorded once
    watchers.watched(id, caller.name(), AuditEntry.Action.FOLLOWED, lastEventId != null);
    followers.follow(log, start, batch, sink, EventStreamFilter.readiness(request));
  }

  /**
   * The events after {@code after} (a page of at most {@link #PAGE_EVENTS}), at once if there are
   * any, else as soon as one is appended, or empty after {@code wait} seconds.
   */
  @GET
  @Produces(LONG_POLL)
  public void poll(
      @PathParam("id") String id,
      @QueryParam("after") String after,
      @QueryParam("wait") String wait,
      @Suspended AsyncResponse response) {
    RunLog log = find(id);
    long cursor = after == null ? 0 : eventId(after, "after");
    int seconds = waitSeconds(wait);
    watchers.watched(id, caller.name(), AuditEntry.Action.POLLED, cursor > 0);
    List<RunEvent> page = log.read(cursor, PAGE_EVENTS);
    if (!page.isEmpty() || seconds == 0 || log.isComplete()) {
      response.resume(page(log, cursor, page));
      return;
    }
    AtomicBoolean answered = new AtomicBoolean();
    Runnable[] wake = new Runnable[1];
    Runnable answer =
        () -> {
          if (answered.compareAndSet(false, true)) {
            log.stopWaiting(wake[0]);
            response.resume(page(log, cursor, log.read(cursor, PAGE_EVENTS)));
          }
        };
    wake[0] = () -> answers.execute(answer);
    response.setTimeoutHandler(timedOut -> answer.run());
    response.setTimeout(seconds, TimeUnit.SECONDS);
    log.awaitAfter(cursor, wake[0]);
  }

  private static JsonObject page(RunLog log, long after, List<RunEvent> events) {
    JsonArrayBuilder list = JSON.createArrayBuilder();
    boolean done = log.isComplete() && after >= log.lastEventId();
    for (RunEvent event : events) {
      list.add(RunJson.event(event));
      done |= event.type() == EventType.RESULT;
    }
    long last = events.isEmpty() ? after : events.get(events.size() - 1).id();
    return JSON.createObjectBuilder()
        .add("events", list)
        .add("lastEventId", last)
        .add("done", done)
        .build();
  }

  /** The run's log, as one that grows while the run executes, here or on another server. */
  private RunLog find(String id) {
    return runs.followable(visible.find(id));
  }

  private static int waitSeconds(String text) {
    if (text == null) {
      return 0;
    }
    try {
      int seconds = Integer.parseInt(text.trim());
      if (seconds >= 0) {
        return Math.min(seconds, MAX_WAIT_SECONDS);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException("wait must be a number of seconds from 0 to 30");
  }

  private static long eventId(String text, String name) {
    try {
      long id = Long.parseLong(text.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException(name + " must be an event id (a whole number from 0)");
  }
}
