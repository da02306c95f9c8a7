package org.scriptcast.runs.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import org.scriptcast.runs.control.Followers;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.Runs;

/** {@code /api/runs/{id}/events}: a run's events, past and live, as Server-Sent Events. */
@Path("runs/{id}/events")
public class RunEventsResource {

  @Inject Runs runs;
  @Inject Followers followers;

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
      @Context SseEventSink sink) {
    RunLog log = runs.find(id).orElseThrow(() -> new NotFoundException("No run " + id));
    long start =
        lastEventId != null
            ? eventId(lastEventId, HttpHeaders.LAST_EVENT_ID_HEADER)
            : after != null ? eventId(after, "after") : 0;
    if (log.isComplete() && start >= log.lastEventId()) {
      // tells a conforming EventSource to stop reconnecting
      throw new WebApplicationException(Response.noContent().build());
    }
    followers.follow(log, start, sink);
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
