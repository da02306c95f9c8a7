package org.scriptcast.runs.boundary;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Writes SSE events exactly as API.md requires, in place of Jersey's own writer, which gets two
 * things wrong for output lines: it writes no {@code data:} field at all for an empty string (so a
 * conforming client drops the event: an empty line would be lost), and it writes a CR inside the
 * data as it is (a client reads it as a line end: the rest of the line is lost, or read as a forged
 * field). Here every CR starts a new {@code data:} field, which a client joins with {@code \n};
 * since a line never holds LF, nothing is lost. The blank line that ends an event is the sink's own
 * delimiter.
 *
 * <p>Events are assembled in memory and written with one call.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class SseEventWriter implements MessageBodyWriter<OutboundSseEvent> {

  private static final byte[] RETRY = bytes("retry: ");
  private static final byte[] COMMENT = bytes(": ");
  private static final byte[] ID = bytes("id: ");
  private static final byte[] EVENT = bytes("event: ");
  private static final byte[] DATA = bytes("data:");

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
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
    entityStream.write(encode(event));
  }

  static byte[] encode(OutboundSseEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    if (event.getReconnectDelay() >= 0) {
      out.writeBytes(RETRY);
      out.writeBytes(bytes(Long.toString(event.getReconnectDelay())));
      out.write('\n');
    }
    String comment = event.getComment();
    if (comment != null && !comment.isEmpty()) {
      // our comments are fixed words without line ends
      out.writeBytes(COMMENT);
      out.writeBytes(bytes(comment));
      out.write('\n');
    }
    Object data = event.getData();
    if (data != null) {
      if (event.getId() != null) {
        out.writeBytes(ID);
        out.writeBytes(bytes(event.getId()));
        out.write('\n');
      }
      if (event.getName() != null) {
        out.writeBytes(EVENT);
        out.writeBytes(bytes(event.getName()));
        out.write('\n');
      }
      writeData(bytes(data.toString()), out);
    }
    return out.toByteArray();
  }

  /** One {@code data:} field per CR-separated part; CR (0x0D) never occurs inside UTF-8 text. */
  private static void writeData(byte[] text, ByteArrayOutputStream out) {
    int start = 0;
    for (int i = 0; i <= text.length; i++) {
      if (i == text.length || text[i] == '\r') {
        out.writeBytes(DATA);
        if (i > start) {
          out.write(' ');
          out.write(text, start, i - start);
        }
        out.write('\n');
        start = i + 1;
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
