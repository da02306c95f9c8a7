package org.scriptcast.runs.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import org.scriptcast.runs.control.ClientReadiness;

/**
 * Gives an event stream an {@link EventStreamOutput} in place of the container's output stream:
 * Jersey writes the stream through the response it was handed, and only a filter can hand it
 * another. A long-poll answer on the same path keeps the container's own stream.
 */
@WebFilter(urlPatterns = "/api/runs/*", asyncSupported = true)
public class EventStreamFilter extends HttpFilter {

  private static final String OUTPUT = EventStreamOutput.class.getName();

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!request.getRequestURI().endsWith("/events")) {
      chain.doFilter(request, response);
      return;
    }
    EventStreamOutput output = new EventStreamOutput();
    request.setAttribute(OUTPUT, output);
    try {
      chain.doFilter(request, new EventStreamResponse(response, output));
    } finally {
      output.dispatched();
    }
  }

  /** The readiness of this request's event stream; always ready where no filter set one. */
  static ClientReadiness readiness(HttpServletRequest request) {
    return request.getAttribute(OUTPUT) instanceof EventStreamOutput output
        ? output
        : ClientReadiness.ALWAYS;
  }

  private static final class EventStreamResponse extends HttpServletResponseWrapper {
    private final EventStreamOutput output;

    EventStreamResponse(HttpServletResponse response, EventStreamOutput output) {
      super(response);
      this.output = output;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      ServletOutputStream out = super.getOutputStream();
      String type = getContentType();
      if (type == null
          || !MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(MediaType.valueOf(type))) {
        return out;
      }
      output.bind(out);
      return output;
    }
  }
}
