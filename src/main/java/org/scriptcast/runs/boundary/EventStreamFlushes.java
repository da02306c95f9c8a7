package org.scriptcast.runs.boundary;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An event stream is flushed only while its client takes writes without blocking. Jersey flushes
 * after every chunk it writes, and Payara's HTTP layer (Grizzly) blocks a flush while more than its
 * limit (a few MiB) waits unsent for that client, until the client reads or the write times out: a
 * sender thread held by every client that stopped reading. A flush left out now is done by the next
 * chunk's, which the follower writes only once the client takes writes again (see {@code
 * RunEventsResource#takesWrites}); nothing is lost, the bytes wait in the server's buffer.
 */
// @Provider
public class EventStreamFlushes implements ContainerResponseFilter {

  @Context HttpServletResponse servletResponse;

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response)
      throws IOException {
    MediaType type = response.getMediaType();
    if (type != null && MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(type)) {
      // the servlet's own stream, got here on the request's thread: the chunks come later
      // from sender threads, where the injected response is no longer this request's
      response.setEntityStream(
          new FlushWhenTaken(response.getEntityStream(), servletResponse.getOutputStream()));
    }
  }

  private static final class FlushWhenTaken extends FilterOutputStream {
    private final ServletOutputStream client;

    FlushWhenTaken(OutputStream out, ServletOutputStream client) {
      super(out);
      this.client = client;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length); // FilterOutputStream's writes a byte at a time
    }

    @Override
    public void flush() throws IOException {
      // isReady() also tells Grizzly that the flush may not block
      if (client.isReady()) {
        out.flush();
      }
    }
  }
}
