package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;

class EventBlocksTest {

  private final List<RunEvent> events = new ArrayList<>();

  private List<EventBlock> encode() {
    return EventBlocks.encode("r-1", 1, events.size(), id -> events.get((int) id - 1));
  }

  private static List<RunEvent> decode(List<EventBlock> blocks, long after) {
    return decode(blocks, after, Integer.MAX_VALUE);
  }

  private static List<RunEvent> decode(List<EventBlock> blocks, long after, int max) {
    EventPage page = EventBlocks.page(blocks, after, max);
    List<RunEvent> decoded = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      decoded.add(page.event(i));
    }
    return decoded;
  }

  @Test
  void everyEventComesBackAsItWas() {
    events.add(new RunEvent(1, EventType.STATE, "{\"state\":\"QUEUED\"}", 1_700_000_000_000L));
    events.add(new RunEvent(2, EventType.STDOUT, "", 1_700_000_000_005L));
    events.add(new RunEvent(3, EventType.STDERR, "grün \r 進捗 \uFFFD", 1_700_000_000_004L));
    events.add(new RunEvent(4, EventType.RESULT, "143", 1_700_000_000_100L));
    assertEquals(events, decode(encode(), 0));
  }

  @Test
  void onlyTheEventsAfterTheCursorAreDecoded() {
    for (int id = 1; id <= 10; id++) {
      events.add(new RunEvent(id, EventType.STDOUT, "line " + id, id));
    }
    assertEquals(events.subList(6, 10), decode(encode(), 6));
    assertEquals(events.subList(6, 8), decode(encode(), 6, 2));
  }

  @Test
  void manyEventsMakeSeveralBlocksThatCoverEveryIdOnce() {
    String line = "x".repeat(79);
    for (int id = 1; id <= 5000; id++) {
      events.add(new RunEvent(id, EventType.STDOUT, line, 1000 + id));
    }
    List<EventBlock> blocks = encode();
    long next = 1;
    long bytes = 0;
    for (EventBlock block : blocks) {
      assertEquals(next, block.firstId());
      next = block.lastId() + 1;
      bytes += block.events().length;
    }
    assertEquals(5001, next);
    // a byte of type, of time and of length: 82 bytes for a line of 80 with its LF, and a full
    // time for the first event of each block
    assertTrue(bytes >= 5000L * 82 && bytes <= 5000L * 82 + blocks.size() * 10L, bytes + " bytes");
    assertEquals(events, decode(blocks, 0));
    // a page may start in the middle of one block and end in the middle of another
    assertEquals(events.subList(1000, 3000), decode(blocks, 1000, 2000));
  }

  @Test
  void aBlockIsExactlyItsEventsAndEndsAtItsLimitsOrAtMax() {
    String line = "y".repeat(200); // a byte of type, of time, two of length: 204 bytes an event
    for (int id = 1; id <= 3000; id++) {
      events.add(new RunEvent(id, EventType.STDOUT, line, 0));
    }
    List<EventBlock> blocks = new ArrayList<>();
    int next = EventBlocks.encode("r-1", EventPage.of(events), 10, 2, blocks);
    assertEquals(2, blocks.size());
    assertEquals(11, blocks.get(0).firstId());
    assertEquals(blocks.get(0).lastId() + 1, blocks.get(1).firstId());
    assertEquals(next, blocks.get(1).lastId()); // the event at index next has id next + 1
    for (EventBlock block : blocks) {
      int length = block.events().length;
      assertEquals(204 * (block.lastId() - block.firstId() + 1), length);
      assertTrue(length >= EventBlocks.MAX_BYTES && length - 204 < EventBlocks.MAX_BYTES);
    }
    assertEquals(events.subList(10, next), decode(blocks, 10));
  }
}
