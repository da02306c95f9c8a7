package skeleton;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** A JAX-RS resource with Sse and SseEventSink. */
@Path("events")
public class Events {
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void follow(@Context SseEventSink sink, @Context Sse sse) {
    try (sink) {
      sink.send(sse.newEvent("line"));
    }
  }

  @ApplicationPath("api")
  public static class Api extends Application {}
}
