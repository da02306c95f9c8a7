package org.scriptcast.runs.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.RunStore;
import org.scriptcast.runs.entity.AuditEntry;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;
import org.scriptcast.security.Caller;

/**
 * {@code /api/runs/{id}/log}: a run's output as plain text, one line per output event in event
 * order, as far as it is when asked. It is read page by page from the database as it is written
 * out, so a log of gigabytes never sits in the heap.
 */
@Path("runs/{id}/log")
public class RunLogResource {

  private static final int PAGE_EVENTS = 4096;

  @Inject VisibleRuns visible;
  @Inject RunStore store;
  @Inject Caller caller;

  @GET
  @Produces("text/plain; charset=UTF-8")
  public Response download(@PathParam("id") String id, @QueryParam("stream") String stream) {
    RunLog log = visible.find(id);
    EventType only = stream == null ? null : stream(stream);
    long last = log.lastEventId();
    store.audit(id, caller.name(), AuditEntry.Action.DOWNLOADED);
    StreamingOutput text =
        out -> {
          Writer writer =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
          long cursor = 0;
          while (cursor < last) {
            List<RunEvent> page = log.read(cursor, PAGE_EVENTS);
            if (page.isEmpty()) {
              break;
            }
            for (RunEvent event : page) {
              if (event.id() > last) {
                break;
              }
              EventType type = event.type();
              if (only == null
                  ? type == EventType.STDOUT || type == EventType.STDERR
                  : type == only) {
                writer.write(event.data());
                writer.write('\n');
              }
            }
            cursor = page.get(page.size() - 1).id();
          }
          writer.flush();
        };
    String name = log.run().script() + "-" + log.run().id() + (only == null ? "" : "-" + stream);
    return Response.ok(text)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".log\"")
        .build();
  }

  private static EventType stream(String name) {
    return switch (name) {
      case "stdout" -> EventType.STDOUT;
      case "stderr" -> EventType.STDERR;
      default -> throw new BadRequestException("stream must be stdout or stderr");
    };
  }
}
