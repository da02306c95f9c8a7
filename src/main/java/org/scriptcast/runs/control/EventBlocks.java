package org.scriptcast.runs.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;

/**
 * The stored form of consecutive events: for each, one byte of type, the time as a variable-length
 * difference to the event before, the length of its UTF-8 text and the text. Ids are not stored:
 * they are the block's {@code firstId} onwards. A line of 80 bytes with its LF costs 82.
 *
 * <p>The type byte is the stored code below, not the enum's ordinal, so that reordering the enum
 * never changes what stored data means.
 */
final class EventBlocks {

  /** Events per block at most, and bytes after which a block is closed. */
  static final int MAX_EVENTS = 1024;

  static final int MAX_BYTES = 64 * 1024;

  private static final EventType[] TYPES = {
    EventType.STATE, EventType.STDOUT, EventType.STDERR, EventType.RESULT
  };

  private EventBlocks() {}

  /**
   * Encodes events {@code from..to} (inclusive ids) into blocks of at most {@link #MAX_EVENTS}
   * events and about {@link #MAX_BYTES} bytes.
   */
  static List<EventBlock> encode(String runId, long from, long to, LongFunction<RunEvent> events) {
    List<EventBlock> blocks = new ArrayList<>();
    Encoder encoder = new Encoder(runId, blocks::add);
    for (long id = from; id <= to; id++) {
      encoder.add(events.apply(id));
    }
    encoder.close();
    return blocks;
  }

  /**
   * Encodes consecutive events one at a time, as they come, into blocks of at most {@link
   * #MAX_EVENTS} events and about {@link #MAX_BYTES} bytes; each block full or closed goes to
   * {@code closed}. Not thread-safe.
   */
  static final class Encoder {
    private final String runId;
    private final Consumer<EventBlock> closed;
    private Buffer buffer;
    private long first = -1;
    private long last;
    private long previousTime;

    Encoder(String runId, Consumer<EventBlock> closed) {
      this.runId = runId;
      this.closed = closed;
    }

    void add(RunEvent event) {
      byte[] text = event.data().getBytes(StandardCharsets.UTF_8);
      add(event.id(), event.type(), event.time(), text, 0, text.length);
    }

    /** Adds the event {@code id}, whose UTF-8 text is {@code from..from + length - 1} of text. */
    void add(long id, EventType type, long time, byte[] text, int from, int length) {
      if (first < 0) {
        first = id;
        if (buffer == null) {
          buffer = new Buffer();
        }
      }
      buffer.put(CODES[type.ordinal()]);
      buffer.putVarLong(zigZag(time - previousTime));
      buffer.putVarLong(length);
      buffer.put(text, from, length);
      previousTime = time;
      last = id;
      if (buffer.size >= MAX_BYTES || last - first + 1 == MAX_EVENTS) {
        close();
      }
    }

    /** Closes the block begun, if there is one. */
    void close() {
      if (first < 0) {
        return;
      }
      closed.accept(new EventBlock(runId, first, last, buffer.toArray()));
      buffer.size = 0;
      previousTime = 0;
      first = -1;
    }
  }

  /**
   * Up to {@code max} events with ids after {@code after} from consecutive blocks, the first of
   * which holds {@code after + 1}: decoded straight into a page, texts copied as they are stored
   * (no String, no object per event).
   */
  static EventPage page(List<EventBlock> blocks, long after, int max) {
    int bytes = 0;
    for (EventBlock block : blocks) {
      bytes += block.events().length;
    }
    long last = blocks.isEmpty() ? after : blocks.get(blocks.size() - 1).lastId();
    int count = (int) Math.max(0, Math.min(last - after, max));
    byte[] types = new byte[count];
    long[] times = new long[count];
    int[] ends = new int[count];
    byte[] text = new byte[bytes];
    int decoded = 0;
    int used = 0;
    int[] position = {0};
    for (EventBlock block : blocks) {
      byte[] in = block.events();
      position[0] = 0;
      long time = 0;
      for (long id = block.firstId(); id <= block.lastId() && decoded < count; id++) {
        byte type = (byte) TYPES[in[position[0]++]].ordinal();
        time += unZigZag(varLong(in, position));
        int length = (int) varLong(in, position);
        if (id > after) {
          types[decoded] = type;
          times[decoded] = time;
          System.arraycopy(in, position[0], text, used, length);
          used += length;
          ends[decoded++] = used;
        }
        position[0] += length;
      }
    }
    return new EventPage(after + 1, types, times, ends, text, 0, decoded);
  }

  /** The stored code of each type, by ordinal. */
  private static final byte[] CODES = new byte[EventType.values().length];

  static {
    for (int code = 0; code < TYPES.length; code++) {
      CODES[TYPES[code].ordinal()] = (byte) code;
    }
  }

  private static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  private static long unZigZag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }

  private static long varLong(byte[] bytes, int[] position) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte next = bytes[position[0]++];
      value |= (long) (next & 0x7f) << shift;
      if (next >= 0) {
        return value;
      }
    }
  }

  /** A growable byte array that is reused from block to block. */
  private static final class Buffer {
    byte[] bytes = new byte[MAX_BYTES + 1024];
    int size;

    void put(byte value) {
      ensure(1);
      bytes[size++] = value;
    }

    void put(byte[] values, int from, int length) {
      ensure(length);
      System.arraycopy(values, from, bytes, size, length);
      size += length;
    }

    void putVarLong(long value) {
      ensure(10);
      while ((value & ~0x7fL) != 0) {
        bytes[size++] = (byte) ((value & 0x7f) | 0x80);
        value >>>= 7;
      }
      bytes[size++] = (byte) value;
    }

    byte[] toArray() {
      return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
