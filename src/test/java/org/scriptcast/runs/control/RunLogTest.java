package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Lines;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunEvent;
import org.scriptcast.runs.entity.RunState;

class RunLogTest {

  private final Run run =
      new Run("r-1", "test", JsonValue.EMPTY_JSON_OBJECT, "alice", Instant.now());

  /** The "database" of these tests: whatever the test put there, read like RunStore reads. */
  private final List<RunEvent> stored = new ArrayList<>();

  /** How often the log read from the "database". */
  private final AtomicInteger storeReads = new AtomicInteger();

  private final RunLog log =
      new RunLog(
          run,
          (runId, after, max) -> {
            storeReads.incrementAndGet();
            return EventPage.of(
                stored.stream().filter(event -> event.id() > after).limit(max).toList());
          });

  @Test
  void eventsAreNumberedFromOneWithoutGaps() {
    log.append(EventType.STDOUT, Lines.of("a", "b"), 1);
    log.append(EventType.STDERR, Lines.of("c"), 2);
    assertFalse(log.isComplete());
    log.end(id -> "state " + id, "0", 3);
    assertEquals(5, log.lastEventId());
    assertEquals("a", event(1).data());
    assertEquals(EventType.STDERR, event(3).type());
    assertEquals("state 4", event(4).data());
    assertEquals(EventType.RESULT, event(5).type());
    assertTrue(log.isComplete());
  }

  @Test
  void aStateEventKnowsItsOwnId() {
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    log.appendState(id -> "id=" + id, 2);
    assertEquals("id=2", event(2).data());
  }

  @Test
  void holdsMoreEventsThanOneSegment() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 100_000; i++) {
      lines.add(Integer.toString(i));
    }
    log.append(EventType.STDOUT, Lines.of(lines.toArray(new String[0])), 1);
    assertEquals(100_000, log.lastEventId());
    assertEquals("54321", event(54_321).data());
  }

  @Test
  void readsAPageFromMemory() {
    log.append(EventType.STDOUT, Lines.of("a", "b", "c"), 1);
    assertEquals(List.of("b", "c"), log.read(1, 10).stream().map(RunEvent::data).toList());
    assertEquals(List.of("a"), log.read(0, 1).stream().map(RunEvent::data).toList());
    assertTrue(log.read(3, 10).isEmpty());
  }

  /** Appends lines "1" to "total" in one batch; returns total. */
  private int appendNumberedLines(int total) {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      lines.add(Integer.toString(i));
    }
    log.append(EventType.STDOUT, Lines.of(lines.toArray(new String[0])), 1);
    return total;
  }

  @Test
  void storedEventsBeyondTheTailLeaveMemoryAndAreReadFromTheStore() {
    int total = appendNumberedLines(RunLog.TAIL_EVENTS * 3);
    for (long id = 1; id <= total; id++) {
      stored.add(event(id));
    }
    log.stored(total, RunLog.TAIL_EVENTS);
    assertEquals(total, log.storedEventId());
    // the oldest events are gone from memory
    assertFalse(inMemory(1));
    // the tail is still there
    assertEquals(Integer.toString(total), event(total).data());
    // and every reader still gets every event, from wherever it is
    long cursor = 0;
    int count = 0;
    while (cursor < total) {
      List<RunEvent> page = log.read(cursor, 1000);
      for (RunEvent event : page) {
        assertEquals(++cursor, event.id());
        assertEquals(Long.toString(cursor), event.data());
        count++;
      }
    }
    assertEquals(total, count);
  }

  @Test
  void eventsAFollowerHasYetToReadStayInMemoryWithinItsAllowance() {
    int total = appendNumberedLines(RunLog.TAIL_EVENTS * 4);
    java.util.function.LongSupplier behind = () -> 1000;
    log.addReader(behind);
    log.stored(total, total);
    assertTrue(inMemory(1001)); // what it reads next is still in memory
    log.stored(total, RunLog.TAIL_EVENTS * 2);
    // further behind than it may be: it reads from the database, the rest leaves memory
    assertFalse(inMemory(1001));
    assertEquals(Integer.toString(total), event(total).data());
    log.removeReader(behind);
    log.stored(total, RunLog.TAIL_EVENTS * 2);
    assertFalse(inMemory(total - RunLog.TAIL_EVENTS * 2 - 1024));
    assertTrue(inMemory(total - RunLog.TAIL_EVENTS * 2 + 1));
  }

  @Test
  void aLogNobodyFollowsKeepsItsAllowanceForTheFollowerAboutToCome() {
    int total = appendNumberedLines(RunLog.TAIL_EVENTS * 4);
    log.stored(total, RunLog.TAIL_EVENTS * 3);
    assertFalse(inMemory(RunLog.TAIL_EVENTS - 1024));
    assertTrue(inMemory(RunLog.TAIL_EVENTS + 1));
  }

  @Test
  void aSegmentEveryReaderIsPastIsFilledAgainAndOneAReaderMayStillBeInNever() {
    long total = appendLines("old ", RunLog.TAIL_EVENTS + 4 * 1024); // 12 segments of 1,024
    EventPage first = log.page(0, 1024);
    EventPage second = log.page(1024, 1024);
    java.util.function.LongSupplier reader = () -> 1500; // past the first, in the second
    log.addReader(reader);
    // it is too far behind to be kept for: the first four segments leave memory
    log.stored(total, RunLog.TAIL_EVENTS);
    assertFalse(inMemory(1));
    appendLines("new ", 4 * 1024);
    // a follower that still holds a view of a segment it may be in reads what was there
    assertEquals("old 1025", text(second, 0));
    assertEquals("old 2048", text(second, 1023));
    // the one every reader is past was filled again, by the next segment
    assertEquals("new 1", text(first, 0));
    assertEquals("new 1", event(total + 1).data());
  }

  /** Appends lines prefix + 1 to prefix + count in one batch; returns the last event's id. */
  private long appendLines(String prefix, int count) {
    String[] lines = new String[count];
    for (int i = 0; i < count; i++) {
      lines[i] = prefix + (i + 1);
    }
    log.append(EventType.STDOUT, Lines.of(lines), 1);
    return log.lastEventId();
  }

  private static String text(EventPage page, int i) {
    return new String(
        page.text(), page.start(i), page.end(i) - page.start(i), StandardCharsets.UTF_8);
  }

  @Test
  void blocksForTheWriterStayUntilStoredSoAFailedWriteIsTriedAgain() {
    log.append(EventType.STDOUT, Lines.of("a", "b"), 1);
    List<EventBlock> first = log.unstoredBlocks(0, 2, 16);
    assertEquals(List.of(2L), first.stream().map(EventBlock::lastId).toList());
    log.append(EventType.STDERR, Lines.of("c"), 2);
    // the write of the first block failed: it comes again, with the next one
    List<EventBlock> again = log.unstoredBlocks(0, 3, 16);
    assertEquals(List.of("1-3"), ranges(again));
    log.stored(2, RunLog.TAIL_EVENTS);
    assertEquals(List.of("3-3"), ranges(log.unstoredBlocks(2, 3, 16)));
    List<RunEvent> decoded = new ArrayList<>();
    EventPage page = EventBlocks.page(again, 0, 10);
    for (int i = 0; i < page.size(); i++) {
      decoded.add(page.event(i));
    }
    assertEquals(List.of("a", "b", "c"), decoded.stream().map(RunEvent::data).toList());
    assertEquals(EventType.STDERR, decoded.get(2).type());
    assertEquals(2, decoded.get(2).time());
  }

  @Test
  void aShareOfMemoryHoldsAsManyEventsAsTheirTextsAllow() {
    String[] lines = new String[10];
    java.util.Arrays.fill(lines, "x".repeat(87));
    log.append(EventType.STDOUT, Lines.of(lines), 1);
    // 87 bytes of text, and 13 of type, time and end
    assertEquals(100, log.eventsIn(100 * 100));
  }

  @Test
  void unstoredEventsStayInMemory() {
    int total = appendNumberedLines(RunLog.TAIL_EVENTS * 3);
    log.stored(1000, RunLog.TAIL_EVENTS);
    assertTrue(inMemory(1));
    assertEquals("1001", event(1001).data());
  }

  @Test
  void aStoredRunIsReadFromTheStoreOnly() {
    stored.add(new RunEvent(1, EventType.STDOUT, "a", 1));
    stored.add(new RunEvent(2, EventType.RESULT, "0", 1));
    run.finish(RunState.SUCCEEDED, 0, Instant.now());
    RunLog storedLog =
        RunLog.ofStored(
            run, 2, (runId, after, max) -> EventPage.of(stored.subList((int) after, 2)));
    assertTrue(storedLog.isComplete());
    assertEquals(2, storedLog.lastEventId());
    assertEquals("a", storedLog.read(0, 10).get(0).data());
    assertEquals("0", storedLog.read(1, 10).get(0).data());
  }

  @Test
  void aWaiterIsWokenByTheNextAppendOnlyOnce() {
    AtomicInteger wakes = new AtomicInteger();
    log.awaitAfter(0, wakes::incrementAndGet);
    assertEquals(0, wakes.get());
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    log.append(EventType.STDOUT, Lines.of("b"), 1);
    assertEquals(1, wakes.get());
  }

  @Test
  void aWaiterBehindTheLogIsWokenAtOnce() {
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    AtomicInteger wakes = new AtomicInteger();
    log.awaitAfter(0, wakes::incrementAndGet);
    assertEquals(1, wakes.get());
  }

  /** A reader past the end of a complete log must not wait for an event that never comes. */
  @Test
  void aWaiterPastTheEndOfACompleteLogIsWokenAtOnce() {
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    log.end(id -> "{}", "0", 2);
    AtomicInteger wakes = new AtomicInteger();
    log.awaitAfter(100, wakes::incrementAndGet);
    assertEquals(1, wakes.get());
  }

  @Test
  void aReaderThatStoppedWaitingIsNotWoken() {
    AtomicInteger wakes = new AtomicInteger();
    Runnable wake = wakes::incrementAndGet;
    log.awaitAfter(0, wake);
    log.stopWaiting(wake);
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    assertEquals(0, wakes.get());
    assertFalse(log.isComplete());
  }

  @Test
  void aCursorOnAnotherThreadSeesEveryEventInOrder() throws InterruptedException {
    int total = 200_000;
    CountDownLatch done = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              long cursor = 0;
              while (cursor < total) {
                long last = log.lastEventId();
                while (cursor < last) {
                  for (RunEvent event : log.read(cursor, 1000)) {
                    seen.add(event.data());
                    cursor = event.id();
                  }
                }
                Thread.onSpinWait();
              }
              done.countDown();
            });
    reader.start();
    for (int i = 0; i < total; i += 100) {
      List<String> batch = new ArrayList<>();
      for (int j = i; j < i + 100; j++) {
        batch.add(Integer.toString(j + 1));
      }
      log.append(EventType.STDOUT, Lines.of(batch.toArray(new String[0])), 1);
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertEquals(total, seen.size());
    for (int i = 0; i < total; i++) {
      assertEquals(Integer.toString(i + 1), seen.get(i));
    }
  }

  @Test
  void theWriterGetsAsManyBlocksAsItAsksForAndTheNextOnesAfterThem() {
    long last = appendLines("", 3 * EventBlocks.MAX_EVENTS + 10);
    assertEquals(List.of("1-1024", "1025-2048"), ranges(log.unstoredBlocks(0, last, 2)));
    assertEquals(List.of("2049-3072", "3073-3082"), ranges(log.unstoredBlocks(2048, last, 16)));
    assertEquals(List.of("3073-3080"), ranges(log.unstoredBlocks(3072, 3080, 16)));
  }

  private static List<String> ranges(List<EventBlock> blocks) {
    return blocks.stream().map(block -> block.firstId() + "-" + block.lastId()).toList();
  }

  /** True when the event with this id is read from memory, not from the store. */
  private boolean inMemory(long id) {
    int before = storeReads.get();
    log.read(id - 1, 1);
    return storeReads.get() == before;
  }

  /** The event with this id, read as a follower reads it. */
  private RunEvent event(long id) {
    return log.read(id - 1, 1).get(0);
  }
}
