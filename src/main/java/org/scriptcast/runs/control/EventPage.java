package org.scriptcast.runs.control;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;

/**
 * Consecutive events of one run, numbered 0 to {@code size() - 1}, with their texts as UTF-8: a
 * view over the arrays of a {@link RunLog} segment (nothing copied), or events read from the
 * database. What a follower reads and encodes, without an object per event.
 */
final class EventPage {

  static final EventPage EMPTY = of(List.of());

  private static final EventType[] TYPES = EventType.values();

  /**
   * A bit of an event's type byte in a log's segment: its text is plain (see {@link
   * org.scriptcast.runs.entity.Lines#add(byte[], int, int, boolean)}). Events from the database
   * never have it: their texts are looked at when encoded.
   */
  static final int PLAIN = 0x40;

  /** The id of the event at index 0 of the arrays (not of this page: it starts at {@code from}). */
  private final long firstId;

  private final byte[] types;
  private final long[] times;
  private final int[] ends;
  private final byte[] text;
  private final int from;
  private final int to;

  EventPage(long firstId, byte[] types, long[] times, int[] ends, byte[] text, int from, int to) {
    this.firstId = firstId;
    this.types = types;
    this.times = times;
    this.ends = ends;
    this.text = text;
    this.from = from;
    this.to = to;
  }

  static EventPage of(List<RunEvent> events) {
    int count = events.size();
    byte[] types = new byte[count];
    long[] times = new long[count];
    int[] ends = new int[count];
    byte[][] texts = new byte[count][];
    int bytes = 0;
    for (int i = 0; i < count; i++) {
      RunEvent event = events.get(i);
      types[i] = (byte) event.type().ordinal();
      times[i] = event.time();
      texts[i] = event.data().getBytes(StandardCharsets.UTF_8);
      bytes += texts[i].length;
      ends[i] = bytes;
    }
    byte[] text = new byte[bytes];
    for (int i = 0; i < count; i++) {
      System.arraycopy(texts[i], 0, text, ends[i] - texts[i].length, texts[i].length);
    }
    return new EventPage(count == 0 ? 1 : events.get(0).id(), types, times, ends, text, 0, count);
  }

  int size() {
    return to - from;
  }

  /** The events {@code start..end - 1} of this page. */
  EventPage slice(int start, int end) {
    return new EventPage(firstId, types, times, ends, text, from + start, from + end);
  }

  long id(int i) {
    return firstId + from + i;
  }

  EventType type(int i) {
    return TYPES[types[from + i] & ~PLAIN];
  }

  /** True when event {@code i}'s text needs no escape in JSON and holds no CR. */
  boolean isPlain(int i) {
    return (types[from + i] & PLAIN) != 0;
  }

  long time(int i) {
    return times[from + i];
  }

  /** The array that holds the texts: event {@code i}'s is {@code start(i)..end(i) - 1} of it. */
  byte[] text() {
    return text;
  }

  int start(int i) {
    int index = from + i;
    return index == 0 ? 0 : ends[index - 1];
  }

  int end(int i) {
    return ends[from + i];
  }

  RunEvent event(int i) {
    String data = new String(text, start(i), end(i) - start(i), StandardCharsets.UTF_8);
    return new RunEvent(id(i), type(i), data, time(i));
  }
}
