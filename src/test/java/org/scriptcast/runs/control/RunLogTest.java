package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Run;

class RunLogTest {

  private final RunLog log =
      new RunLog(new Run("r-1", "test", JsonValue.EMPTY_JSON_OBJECT, "alice", Instant.now()));

  @Test
  void eventsAreNumberedFromOneWithoutGaps() {
    log.append(EventType.STDOUT, List.of("a", "b"), 1);
    log.append(EventType.STDERR, List.of("c"), 2);
    log.append(EventType.RESULT, id -> "0", 3);
    assertEquals(4, log.lastEventId());
    assertEquals("a", log.get(1).data());
    assertEquals(EventType.STDERR, log.get(3).type());
    assertEquals(4, log.get(4).id());
    assertTrue(log.isComplete());
  }

  @Test
  void aStateEventKnowsItsOwnId() {
    log.append(EventType.STDOUT, List.of("a"), 1);
    assertEquals("id=2", log.append(EventType.STATE, id -> "id=" + id, 2).data());
  }

  @Test
  void holdsMoreEventsThanOneSegment() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 100_000; i++) {
      lines.add(Integer.toString(i));
    }
    log.append(EventType.STDOUT, lines, 1);
    assertEquals(100_000, log.lastEventId());
    assertEquals("54321", log.get(54_321).data());
  }

  @Test
  void aWaiterIsWokenByTheNextAppendOnlyOnce() {
    AtomicInteger wakes = new AtomicInteger();
    log.awaitAfter(0, wakes::incrementAndGet);
    assertEquals(0, wakes.get());
    log.append(EventType.STDOUT, List.of("a"), 1);
    log.append(EventType.STDOUT, List.of("b"), 1);
    assertEquals(1, wakes.get());
  }

  @Test
  void aWaiterBehindTheLogIsWokenAtOnce() {
    log.append(EventType.STDOUT, List.of("a"), 1);
    AtomicInteger wakes = new AtomicInteger();
    log.awaitAfter(0, wakes::incrementAndGet);
    assertEquals(1, wakes.get());
  }

  @Test
  void aReaderThatStoppedWaitingIsNotWoken() {
    AtomicInteger wakes = new AtomicInteger();
    Runnable wake = wakes::incrementAndGet;
    log.awaitAfter(0, wake);
    log.stopWaiting(wake);
    log.append(EventType.STDOUT, List.of("a"), 1);
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
                  seen.add(log.get(++cursor).data());
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
      log.append(EventType.STDOUT, batch, 1);
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertEquals(total, seen.size());
    for (int i = 0; i < total; i++) {
      assertEquals(Integer.toString(i + 1), seen.get(i));
    }
  }
}
