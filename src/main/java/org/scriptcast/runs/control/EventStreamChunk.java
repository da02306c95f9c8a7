package org.scriptcast.runs.control;

import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.scriptcast.runs.entity.EventType;

/**
 * Events already encoded in the SSE wire format, sent to a sink as one chunk: one write and one
 * flush for everything a follower had ready, instead of one each per event.
 *
 * <p>Why it matters: Jersey flushes after every chunk, and Payara's HTTP layer (Grizzly) queues
 * each flushed buffer, 8 KiB whatever its content, for a client that does not read; its limit
 * counts the bytes queued, not the buffers that hold them. Sent one by one, 200,000 short lines to
 * a stalled client took 960 MB of heap; as chunks they take about their own size.
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
  private byte[] bytes;

  private int size;

  /**
   * Set once a sink has written this chunk: its buffer may then be filled again ({@link #clear}).
   * Volatile: the sink may write it from another thread (see Follower's chunks).
   */
  private volatile boolean written;

  public EventStreamChunk() {
    this(256);
  }

  /** A chunk with room for about {@code bytes} bytes: it grows if they are more. */
  public EventStreamChunk(int bytes) {
    this.bytes = new byte[bytes];
  }

  public EventStreamChunk retry(long millis) {
    put(ascii("retry: " + millis + "\n\n"));
    return this;
  }

  public EventStreamChunk comment(String text) {
    put(ascii(": " + text + "\n\n"));
    return this;
  }

  /** Event {@code i} of the page as one SSE event. */
  EventStreamChunk add(EventPage page, int i) {
    put(ID);
    writeDecimal(page.id(i));
    put(EVENT_LINES[page.type(i).ordinal()]);
    if (page.isPlain(i)) {
      writeDataField(page.text(), page.start(i), page.end(i)); // no CR to split at
    } else {
      writeData(page.text(), page.start(i), page.end(i));
    }
    put((byte) '\n');
    return this;
  }

  private static final byte[] BATCH = ascii("\nevent: batch\ndata: [");

  private static final byte[] OBJECT_ID = ascii("{\"id\":");

  /** {@code ,"event":"NAME","data":"} per event type. */
  private static final byte[][] EVENT_MEMBERS = new byte[EventType.values().length][];

  static {
    for (EventType type : EventType.values()) {
      EVENT_MEMBERS[type.ordinal()] = ascii(",\"event\":\"" + type.wireName() + "\",\"data\":\"");
    }
  }

  // A batch item is its text between two pieces, each kept and copied whole: the item's opening,
  // {"id":N,"event":"NAME","data":" and its closing, ","time":"TIME"}, with the comma that goes
  // before the next item. Items of one read differ only in their id, counted up in the opening's
  // digits in place. Three copies an item instead of five (the opening's three pieces and the
  // comma apart): bench/micro encodeBatch, alternated, 30.3 and 28.7 M items/s before, 37.6 and
  // 37.0 M after.

  /** Where the id's digits end in {@link #opening}: room before for the most a long has. */
  private static final int DIGITS_END = OBJECT_ID.length + 20;

  /**
   * The opening of the last item: {@link #OBJECT_ID}, its id's digits at {@code
   * openingDigits..DIGITS_END - 1}, then its members up to {@code openingEnd}.
   */
  private final byte[] opening = new byte[DIGITS_END + 64];

  private int openingDigits = DIGITS_END;
  private int openingEnd;
  private long openingId = -1;
  private EventType openingType;

  /** The time of the last item, and its closing and comma: lines of one read share it. */
  private long closingMillis = Long.MIN_VALUE;

  private byte[] closing;

  /** Items written in the batch begun, -1 when none is. */
  private int batchItems = -1;

  /**
   * Begins a {@code batch} event (API.md, {@code ?format=batch}): its data is a JSON array of
   * {@code {id, event, data, time}} on one line (JSON escapes every CR and LF), its id {@code
   * lastId}, that of the last event that {@link #addToBatch} will add. Written straight into this
   * chunk's bytes: no JSON text is built first (a StringBuilder, its String and that String's UTF-8
   * were three copies of every line).
   */
  EventStreamChunk beginBatch(long lastId) {
    put(ID);
    writeDecimal(lastId);
    put(BATCH);
    batchItems = 0;
    return this;
  }

  /** Event {@code i} of the page as the next item of the batch begun. */
  EventStreamChunk addToBatch(EventPage page, int i) {
    if (batchItems++ > 0) {
      put(closing); // the item before's, and the comma
    }
    open(page.id(i), page.type(i));
    int from = openingDigits - OBJECT_ID.length;
    put(opening, from, openingEnd - from);
    if (page.isPlain(i)) {
      put(page.text(), page.start(i), page.end(i) - page.start(i)); // nothing to escape
    } else {
      writeJsonText(page.text(), page.start(i), page.end(i));
    }
    long time = page.time(i);
    if (time != closingMillis) {
      closingMillis = time;
      closing = ascii("\",\"time\":\"" + RunJson.time(Instant.ofEpochMilli(time)) + "\"},");
    }
    return this;
  }

  /** Makes {@link #opening} that of an item with this id and type. */
  private void open(long id, EventType type) {
    int digits =
        openingId >= 0 && id == openingId + 1
            ? countUp(opening, openingDigits, DIGITS_END)
            : putDigits(opening, DIGITS_END, id);
    if (digits != openingDigits) {
      System.arraycopy(OBJECT_ID, 0, opening, digits - OBJECT_ID.length, OBJECT_ID.length);
      openingDigits = digits;
    }
    if (type != openingType) {
      byte[] members = EVENT_MEMBERS[type.ordinal()];
      System.arraycopy(members, 0, opening, DIGITS_END, members.length);
      openingEnd = DIGITS_END + members.length;
      openingType = type;
    }
    openingId = id;
  }

  EventStreamChunk endBatch() {
    if (batchItems > 0) {
      put(closing, 0, closing.length - 1); // the last item's, without the comma
    }
    put((byte) ']');
    put((byte) '\n');
    put((byte) '\n');
    batchItems = -1;
    return this;
  }

  boolean inBatch() {
    return batchItems >= 0;
  }

  private static final byte[] HEX = ascii("0123456789abcdef");

  /**
   * UTF-8 text as the inside of a JSON string: quote, backslash and the control characters escaped,
   * and U+2028 and U+2029 (JavaScript line ends) too. Runs with nothing to escape, most lines
   * whole, are copied at once.
   */
  private void writeJsonText(byte[] text, int from, int to) {
    room(to - from);
    int plain = from;
    int i = from;
    while (i < to) {
      if (i + 8 <= to && isPlainJson(Words.at(text, i))) {
        i += 8;
        continue;
      }
      byte b = text[i];
      int escape = escape(text, i, to);
      if (escape == 0) {
        i++;
        continue;
      }
      put(text, plain, i - plain);
      if (escape == 3) {
        writeUnicodeEscape(text[i + 2] == (byte) 0xA8 ? 0x2028 : 0x2029);
      } else {
        switch (b) {
          case '"', '\\' -> put((byte) '\\', b);
          case '\n' -> put((byte) '\\', (byte) 'n');
          case '\r' -> put((byte) '\\', (byte) 'r');
          case '\t' -> put((byte) '\\', (byte) 't');
          default -> writeUnicodeEscape(b);
        }
      }
      i += escape;
      plain = i;
    }
    put(text, plain, to - plain);
  }

  /**
   * True when none of these eight bytes needs an escape: no control, quote, backslash, non-ASCII.
   */
  private static boolean isPlainJson(long word) {
    return (Words.needsEscape(word) | Words.nonAscii(word)) == 0;
  }

  /** How many bytes at {@code i} form a character that must be escaped; 0 when none. */
  private static int escape(byte[] text, int i, int to) {
    byte b = text[i];
    if (b == (byte) 0xE2) {
      // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
      return i + 2 < to
              && text[i + 1] == (byte) 0x80
              && (text[i + 2] == (byte) 0xA8 || text[i + 2] == (byte) 0xA9)
          ? 3
          : 0;
    }
    return Words.isSpecial(b) ? 1 : 0;
  }

  private void writeUnicodeEscape(int c) {
    put((byte) '\\');
    put((byte) 'u');
    for (int shift = 12; shift >= 0; shift -= 4) {
      put(HEX[(c >> shift) & 0xF]);
    }
  }

  public int size() {
    return size;
  }

  /**
   * Writes the wire bytes without the last LF: the sink writes its own delimiter (LF) after each
   * chunk. Straight from this chunk's buffer, no copy.
   */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size - 1);
    written = true;
  }

  /** True once {@link #writeTo} has written this chunk. */
  boolean isWritten() {
    return written;
  }

  /** Empties this chunk to be filled again, keeping its buffer. */
  EventStreamChunk clear() {
    size = 0;
    batchItems = -1;
    written = false;
    return this;
  }

  /** How many bytes this chunk holds before it grows. */
  int capacity() {
    return bytes.length;
  }

  /** The wire bytes without the last LF, as {@link #writeTo} writes them. */
  byte[] wireBytes() {
    return Arrays.copyOf(bytes, size - 1);
  }

  private void put(byte b) {
    room(1);
    bytes[size++] = b;
  }

  private void put(byte first, byte second) {
    room(2);
    bytes[size++] = first;
    bytes[size++] = second;
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

  /**
   * The number {@link #writeDecimal} wrote last, whose digits are {@code digits[decimalStart..]}.
   */
  private long decimal = -1;

  private int decimalStart;

  /**
   * A non-negative number in decimal. The events of a chunk have consecutive ids: the next one is
   * the digits written last plus one, carried by hand, not a division per digit (which was 3.7 % of
   * the server's CPU in a profile of batched runs).
   */
  private void writeDecimal(long value) {
    decimalStart =
        decimal >= 0 && value == decimal + 1
            ? countUp(digits, decimalStart, digits.length)
            : putDigits(digits, digits.length, value);
    decimal = value;
    put(digits, decimalStart, digits.length - decimalStart);
  }

  /**
   * Counts the decimal number in {@code bytes[from..end - 1]} up by one, in place; returns where it
   * starts now (one byte earlier when its digits were all nines).
   */
  private static int countUp(byte[] bytes, int from, int end) {
    int i = end - 1;
    while (i >= from && bytes[i] == '9') {
      bytes[i--] = '0';
    }
    if (i < from) {
      bytes[--from] = '1';
    } else {
      bytes[i]++;
    }
    return from;
  }

  /**
   * Writes a non-negative number's decimal digits to end just before {@code end}; returns where
   * they start.
   */
  private static int putDigits(byte[] bytes, int end, long value) {
    int start = end;
    long rest = value;
    do {
      bytes[--start] = (byte) ('0' + rest % 10);
      rest /= 10;
    } while (rest > 0);
    return start;
  }

  /** One {@code data:} field: a text, or a part of one, without CR. */
  private void writeDataField(byte[] text, int from, int to) {
    put(DATA);
    if (to > from) {
      put((byte) ' ');
      put(text, from, to - from);
    }
    put((byte) '\n');
  }

  /** One {@code data:} field per CR-separated part; CR (0x0D) never occurs inside UTF-8 text. */
  private void writeData(byte[] text, int from, int to) {
    for (int start = from; ; ) {
      int cr = Words.indexOf(text, start, to, (byte) '\r');
      writeDataField(text, start, cr);
      if (cr == to) {
        return;
      }
      start = cr + 1;
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
