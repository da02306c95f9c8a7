package org.scriptcast.runs.boundary;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.scriptcast.runs.control.EventStreamChunk;

/**
 * Writes the event stream's chunks, in place of Jersey's own writer, which gets two things wrong
 * for output lines: it writes no {@code data:} field for an empty string (a conforming client then
 * drops the event: an empty line would be lost), and it writes a CR inside the data as it is (a
 * client reads it as a line end: the rest is lost, or read as a forged field). The encoding itself
 * is {@link EventStreamChunk}'s. Being an application provider, this writer is chosen before
 * Jersey's built-in one.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class SseEventWriter implements MessageBodyWriter<OutboundSseEvent> {

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    // a sink may ask for the declared type, OutboundSseEvent: take all, so Jersey's never writes
    return OutboundSseEvent.class.isAssignableFrom(type);
  }

  @Override
  public void writeTo(
      OutboundSseEvent event,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> httpHeaders,
      OutputStream entityStream)
      throws IOException {
    if (!(event instanceof EventStreamChunk chunk)) {
      throw new IllegalArgumentException("scriptcast sends only EventStreamChunk, not " + event);
    }
    chunk.writeTo(entityStream);
  }
}
