package org.scriptcast.runs.control;

import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;

/**
 * Events already encoded in the SSE wire format, sent to a sink as one chunk: one write and one
 * flush for everything a follower had ready, instead of one each per event.
 *
 * <p>Why it matters: Jersey flushes after every chunk, and Payara's HTTP layer (Grizzly) queues
 * each flushed buffer, 8 KiB whatever its content, without limit when the client does not read (its
 * listener's {@code maxPendingBytes} is -1 and there is no setting for it). Sent one by one,
 * 200,000 short lines to a stalled client took 960 MB of heap; as chunks they take about their own
 * size.
 *
 * <p>The encoding is that of API.md: every CR in a line starts a new {@code data:} field (a
 * conforming client joins them with {@code \n}, and no raw CR that could end a field early ever
 * reaches the stream), and an empty line still has its {@code data:} field (without one a client
 * drops the event).
 */
public final class EventStreamChunk implements jakarta.ws.rs.sse.OutboundSseEvent {

  private static final byte[] ID = ascii("id: ");
  private static final byte[] DATA = ascii("data:");

  /** {@code "\nevent: NAME\n"} per event type, made once: nothing per line that it can spare. */
  private static final byte[][] EVENT_LINES = new byte[EventType.values().length][];

  static {
    for (EventType type : EventType.values()) {
      EVENT_LINES[type.ordinal()] = ascii("\nevent: " + type.wireName() + "\n");
    }
  }

  private final byte[] digits = new byte[20];

  /**
   * The wire bytes so far. Not a ByteArrayOutputStream: its methods are synchronized, a lock per
   * write that a chunk, which one thread fills, never needs.
   */
  private byte[] bytes = new byte[256];

  private int size;

  public EventStreamChunk retry(long millis) {
    put(ascii("retry: " + millis + "\n\n"));
    return this;
  }

  public EventStreamChunk comment(String text) {
    put(ascii(": " + text + "\n\n"));
    return this;
  }

  public EventStreamChunk add(RunEvent event) {
    put(ID);
    writeDecimal(event.id());
    put(EVENT_LINES[event.type().ordinal()]);
    writeData(event.data().getBytes(StandardCharsets.UTF_8));
    put((byte) '\n');
    return this;
  }

  private static final byte[] BATCH = ascii("\nevent: batch\ndata: ");

  /**
   * Output events as one {@code batch} event (API.md, {@code ?format=batch}): its data is a JSON
   * array of {@code {id, event, data, time}} on one line (JSON escapes every CR and LF), its id
   * that of the last event in it.
   */
  public EventStreamChunk addBatch(List<RunEvent> events) {
    put(ID);
    writeDecimal(events.get(events.size() - 1).id());
    put(BATCH);
    StringBuilder json = new StringBuilder(events.size() * 100);
    json.append('[');
    long formattedMillis = Long.MIN_VALUE;
    String time = null;
    for (RunEvent event : events) {
      if (event.time() != formattedMillis) {
        formattedMillis = event.time();
        time = RunJson.time(Instant.ofEpochMilli(formattedMillis));
      }
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"id\":").append(event.id());
      json.append(",\"event\":\"").append(event.type().wireName());
      json.append("\",\"data\":");
      appendJsonString(json, event.data());
      json.append(",\"time\":\"").append(time).append("\"}");
    }
    json.append(']');
    put(json.toString().getBytes(StandardCharsets.UTF_8));
    put((byte) '\n');
    put((byte) '\n');
    return this;
  }

  static void appendJsonString(StringBuilder json, String text) {
    json.append('"');
    int plain = 0;
    while (plain < text.length() && !needsEscape(text.charAt(plain))) {
      plain++;
    }
    // most lines need no escape at all: copied at once, then the rest char by char
    json.append(text, 0, plain);
    for (int i = plain; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029;
  }

  public int size() {
    return size;
  }

  /**
   * The wire bytes without the last LF: the sink writes its own delimiter (LF) after each chunk.
   */
  public byte[] wireBytes() {
    return Arrays.copyOf(bytes, size - 1);
  }

  private void put(byte b) {
    room(1);
    bytes[size++] = b;
  }

  private void put(byte[] more) {
    put(more, 0, more.length);
  }

  private void put(byte[] more, int offset, int length) {
    room(length);
    System.arraycopy(more, offset, bytes, size, length);
    size += length;
  }

  private void room(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  private void writeDecimal(long value) {
    int start = digits.length;
    do {
      digits[--start] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value > 0);
    put(digits, start, digits.length - start);
  }

  /** One {@code data:} field per CR-separated part; CR (0x0D) never occurs inside UTF-8 text. */
  private void writeData(byte[] text) {
    int start = 0;
    for (int i = 0; i <= text.length; i++) {
      if (i == text.length || text[i] == '\r') {
        put(DATA);
        if (i > start) {
          put((byte) ' ');
          put(text, start, i - start);
        }
        put((byte) '\n');
        start = i + 1;
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  // The sink needs an OutboundSseEvent; SseEventWriter writes this one as its bytes.

  @Override
  public Class<?> getType() {
    return EventStreamChunk.class;
  }

  @Override
  public Type getGenericType() {
    return EventStreamChunk.class;
  }

  @Override
  public MediaType getMediaType() {
    return MediaType.SERVER_SENT_EVENTS_TYPE;
  }

  @Override
  public Object getData() {
    return this;
  }

  @Override
  public String getId() {
    return null;
  }

  @Override
  public String getName() {
    return null;
  }

  @Override
  public String getComment() {
    return null;
  }

  @Override
  public long getReconnectDelay() {
    return -1;
  }

  @Override
  public boolean isReconnectDelaySet() {
    return false;
  }
}
