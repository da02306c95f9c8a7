package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunRecord;

/** Marking runs INTERRUPTED, over a database that refuses the first try. */
class RunRecoveryTest {

  private final List<RunRecord> unfinished = new ArrayList<>();
  private final List<String> marked = new ArrayList<>();
  private final List<Runnable> retries = new ArrayList<>();
  private int refusals = 1;

  private final RunRecovery recovery =
      new RunRecovery() {
        @Override
        void retryLater(Runnable task) {
          retries.add(task);
        }
      };

  RunRecoveryTest() {
    recovery.store =
        new RunStore() {
          @Override
          public List<RunRecord> unfinished(long createdBefore) {
            return List.copyOf(unfinished);
          }

          @Override
          public void save(RunRecord record, List<EventBlock> blocks) {
            if (refusals-- > 0) {
              throw new IllegalStateException("the database is not there yet");
            }
            marked.add(record.id() + " " + record.state());
            unfinished.removeIf(r -> r.id().equals(record.id()));
          }
        };
    recovery.cluster =
        new Cluster() {
          @Override
          public void stored(String runId, long lastEventId, boolean ended) {}
        };
  }

  @Test
  void aRunThatCouldNotBeMarkedIsTriedAgainLater() {
    Run run = new Run("r-1", "test", JsonValue.EMPTY_JSON_OBJECT, "alice", Instant.now());
    run.start(Instant.now());
    unfinished.add(RunRecord.of(run, 7, false, "gone"));
    recovery.interruptAll(record -> true, System.currentTimeMillis());
    assertEquals(List.of(), marked);
    assertEquals(1, retries.size());
    retries.remove(0).run();
    assertEquals(List.of("r-1 INTERRUPTED"), marked);
    assertEquals(List.of(), retries, "nothing left to try");
  }
}
