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
      if (first < 0) {
        first = event.id();
        if (buffer == null) {
          buffer = new Buffer();
        }
      }
      byte[] text = event.data().getBytes(StandardCharsets.UTF_8);
      buffer.put((byte) code(event.type()));
      buffer.putVarLong(zigZag(event.time() - previousTime));
      buffer.putVarLong(text.length);
      buffer.put(text);
      previousTime = event.time();
      last = event.id();
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

  /** The events of a block with an id greater than {@code after}, added to {@code into}. */
  static void decode(EventBlock block, long after, List<RunEvent> into) {
    byte[] bytes = block.events();
    int[] position = {0};
    long time = 0;
    for (long id = block.firstId(); id <= block.lastId(); id++) {
      EventType type = TYPES[bytes[position[0]++]];
      time += unZigZag(varLong(bytes, position));
      int length = (int) varLong(bytes, position);
      if (id > after) {
        String data = new String(bytes, position[0], length, StandardCharsets.UTF_8);
        into.add(new RunEvent(id, type, data, time));
      }
      position[0] += length;
    }
  }

  private static int code(EventType type) {
    for (int code = 0; code < TYPES.length; code++) {
      if (TYPES[code] == type) {
        return code;
      }
    }
    throw new IllegalArgumentException(type.name());
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

    void put(byte[] values) {
      ensure(values.length);
      System.arraycopy(values, 0, bytes, size, values.length);
      size += values.length;
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
