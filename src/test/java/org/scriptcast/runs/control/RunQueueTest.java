package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.control.RunQueue.Admission;
import org.scriptcast.runs.control.RunQueue.Pending;
import org.scriptcast.runs.entity.Run;

class RunQueueTest {

  private final RunQueue queue = new RunQueue();
  private final Script any = script("any", 0);
  private final Script single = script("single", 1);
  private int runs;

  RunQueueTest() {
    queue.settings =
        new Settings() {
          @Override
          public int maxConcurrentRuns() {
            return 2;
          }

          @Override
          public int queueCapacity() {
            return 3;
          }
        };
  }

  private static Script script(String name, int maxConcurrent) {
    return new Script(
        name,
        name,
        "",
        List.of("/bin/true"),
        Path.of("/"),
        60,
        List.of(),
        maxConcurrent,
        Map.of(),
        List.of());
  }

  private Pending pending(Script script) {
    Run run =
        new Run("r-" + ++runs, script.name(), JsonValue.EMPTY_JSON_OBJECT, "a", Instant.now());
    return new Pending(run, script, null);
  }

  private Admission admit(Pending pending) {
    return queue.admit(pending, () -> {});
  }

  @Test
  void twoExecuteThreeWaitTheRestAreRefused() {
    List<Admission> admissions = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      admissions.add(admit(pending(any)));
    }
    assertEquals(
        List.of(
            Admission.EXECUTE,
            Admission.EXECUTE,
            Admission.WAIT,
            Admission.WAIT,
            Admission.WAIT,
            Admission.REFUSE,
            Admission.REFUSE),
        admissions);
  }

  @Test
  void aFinishedRunHandsItsPlaceToTheOldestWaitingOne() {
    admit(pending(any));
    admit(pending(any));
    Pending third = pending(any);
    Pending fourth = pending(any);
    admit(third);
    admit(fourth);
    assertEquals(1, queue.position(third.run().id()));
    assertEquals(2, queue.position(fourth.run().id()));
    assertEquals(third, queue.next(any));
    assertEquals(1, queue.position(fourth.run().id()));
    assertEquals(fourth, queue.next(any));
    assertNull(queue.next(any));
  }

  @Test
  void aScriptsOwnLimitHoldsOnlyItsOwnRuns() {
    Pending first = pending(single);
    Pending second = pending(single);
    assertEquals(Admission.EXECUTE, admit(first));
    assertEquals(Admission.WAIT, admit(second));
    // the global limit has room: another script passes the waiting run
    assertEquals(Admission.EXECUTE, admit(pending(any)));
    // the single run ends: its waiting sibling takes the place
    assertEquals(second, queue.next(single));
  }

  @Test
  void aCancelledWaitingRunLeavesTheQueue() {
    admit(pending(any));
    admit(pending(any));
    Pending waiting = pending(any);
    admit(waiting);
    assertTrue(queue.remove(waiting.run().id()));
    assertFalse(queue.remove(waiting.run().id()));
    assertEquals(0, queue.position(waiting.run().id()));
    assertNull(queue.next(any));
  }

  /**
   * At server shutdown a worker whose run was stopped starts no waiting one (its process would
   * outlive the server), and nothing new is taken; the waiting runs stay for the next start.
   */
  @Test
  void aStoppingServerStartsNothingMore() {
    admit(pending(any));
    admit(pending(any));
    Pending waiting = pending(any);
    admit(waiting);
    queue.stop();
    assertNull(queue.next(any));
    assertEquals(Admission.REFUSE, admit(pending(any)));
    assertEquals(1, queue.position(waiting.run().id()));
    assertEquals(1, queue.executing());
  }

  @Test
  void aRefusedRunIsNotRecorded() {
    for (int i = 0; i < 5; i++) {
      admit(pending(any));
    }
    boolean[] recorded = {false};
    assertEquals(Admission.REFUSE, queue.admit(pending(any), () -> recorded[0] = true));
    assertFalse(recorded[0]);
  }
}
