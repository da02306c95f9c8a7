package org.scriptcast.runs.control;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Events per block at most, and bytes after which a block is closed. A block never spans two of a
   * log's segments (1,024 events each), so a segment of lines up to 126 bytes is one block; with 64
   * KB, a segment of 80-byte lines made two, of 799 and 225 events, and the writer 40 % more
   * transactions.
   */
  static final int MAX_EVENTS = 1024;

  static final int MAX_BYTES = 128 * 1024;

  private static final EventType[] TYPES = {
    EventType.STATE, EventType.STDOUT, EventType.STDERR, EventType.RESULT
  };

  private EventBlocks() {}

  /**
   * Encodes events {@code from..to} (inclusive ids) into blocks of at most {@link #MAX_EVENTS}
   * events and about {@link #MAX_BYTES} bytes.
   */
  static List<EventBlock> encode(String runId, long from, long to, LongFunction<RunEvent> events) {
    List<RunEvent> list = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      list.add(events.apply(id));
    }
    List<EventBlock> blocks = new ArrayList<>();
    encode(runId, EventPage.of(list), 0, Integer.MAX_VALUE, blocks);
    return blocks;
  }

  /**
   * Encodes the page's events from index {@code from} on into at most {@code max} blocks of at most
   * {@link #MAX_EVENTS} events and about {@link #MAX_BYTES} bytes, added to {@code blocks}; returns
   * the index of the first event not encoded. Each block is measured first (from the lengths and
   * times alone), then written into an array of exactly its size: one copy of each text. Written
   * into a growing buffer, each block was copied once more into its own array (5 % of the writer's
   * CPU in a profile of batched runs).
   */
  static int encode(String runId, EventPage page, int from, int max, List<EventBlock> blocks) {
    int next = from;
    for (int made = 0; made < max && next < page.size(); made++) {
      int end = next;
      int bytes = 0;
      long previousTime = 0;
      while (end < page.size() && end - next < MAX_EVENTS && bytes < MAX_BYTES) {
        int length = page.end(end) - page.start(end);
        bytes += 1 + varLongSize(zigZag(page.time(end) - previousTime)) + varLongSize(length);
        bytes += length;
        previousTime = page.time(end++);
      }
      byte[] block = new byte[bytes];
      byte[] text = page.text();
      int at = 0;
      previousTime = 0;
      for (int i = next; i < end; i++) {
        int start = page.start(i);
        int length = page.end(i) - start;
        block[at++] = CODES[page.type(i).ordinal()];
        at = putVarLong(block, at, zigZag(page.time(i) - previousTime));
        at = putVarLong(block, at, length);
        System.arraycopy(text, start, block, at, length);
        at += length;
        previousTime = page.time(i);
      }
      blocks.add(new EventBlock(runId, page.id(next), page.id(end - 1), block));
      next = end;
    }
    return next;
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

  private static int varLongSize(long value) {
    return Math.max(1, (70 - Long.numberOfLeadingZeros(value)) / 7);
  }

  private static int putVarLong(byte[] bytes, int at, long value) {
    while ((value & ~0x7fL) != 0) {
      bytes[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    bytes[at++] = (byte) value;
    return at;
  }
}
