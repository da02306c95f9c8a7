package org.scriptcast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an event stream by the WHATWG rules (HTML, "Server-sent events", interpreting an event
 * stream): lines end at CRLF, LF or CR; {@code data} fields are joined with LF; an event with no
 * data is not dispatched; one space after the colon is dropped. Whatever the server sends, this is
 * what a browser would see.
 */
public final class SseParser {

  private final BufferedReader reader;
  private final List<String> comments = new ArrayList<>();
  private String retry;
  private String lastEventId = "";

  public SseParser(InputStream body) {
    // BufferedReader.readLine ends lines at CRLF, LF and CR alone: the WHATWG line ends
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next dispatched event, or null at the end of the stream. */
  public SseEvent next() throws IOException {
    StringBuilder data = new StringBuilder();
    String type = "";
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data.length() == 0) {
          type = "";
          continue;
        }
        data.setLength(data.length() - 1);
        return new SseEvent(lastEventId, type.isEmpty() ? "message" : type, data.toString());
      }
      if (line.startsWith(":")) {
        comments.add(line.substring(1).trim());
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> type = value;
        case "data" -> data.append(value).append('\n');
        case "id" -> {
          if (value.indexOf('\0') < 0) {
            lastEventId = value;
          }
        }
        case "retry" -> retry = value;
        default -> {
          // ignored, as the rules say
        }
      }
    }
    return null;
  }

  /** Every event to the end of the stream. */
  public List<SseEvent> readAll() throws IOException {
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent event = next(); event != null; event = next()) {
      events.add(event);
    }
    return events;
  }

  public List<String> comments() {
    return comments;
  }

  public String retry() {
    return retry;
  }
}
