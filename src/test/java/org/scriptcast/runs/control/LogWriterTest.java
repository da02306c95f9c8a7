package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Lines;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunRecord;

/** The writer's transactions, over a database that fails for the runs it is told to. */
class LogWriterTest {

  /** What was committed, in order, and the runs whose writes fail. */
  private final List<String> committed = new ArrayList<>();

  private final Set<String> failing = new HashSet<>();
  private int transactions;

  /** What the "script" does while a transaction is under way. */
  private Runnable duringSave = () -> {};

  private final RunStore store =
      new RunStore() {
        @Override
        public void create(RunRecord record) {}

        @Override
        public void save(List<RunRecord> records, List<EventBlock> blocks) {
          transactions++;
          duringSave.run();
          for (RunRecord record : records) {
            if (failing.contains(record.id())) {
              throw new IllegalStateException("the database refuses run " + record.id());
            }
          }
          for (EventBlock block : blocks) {
            committed.add(block.firstId() + "-" + block.lastId());
          }
        }
      };

  private final Cluster cluster =
      new Cluster() {
        @Override
        public void stored(String runId, long lastEventId, boolean ended) {}
      };

  private final Runs runs = new Runs();
  private final LogWriter writer = new LogWriter();

  LogWriterTest() {
    runs.store = store;
    runs.cluster = cluster;
    writer.runs = runs;
    writer.store = store;
    writer.cluster = cluster;
  }

  private RunLog run(String id, int lines) {
    RunLog log =
        runs.register(new Run(id, "test", JsonValue.EMPTY_JSON_OBJECT, "alice", Instant.now()));
    log.append(EventType.STDOUT, lines(lines), 1);
    return log;
  }

  private static Lines lines(int count) {
    Lines lines = new Lines();
    for (int i = 1; i <= count; i++) {
      byte[] line = ("line " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      lines.add(line, 0, line.length);
    }
    return lines;
  }

  @Test
  void runsThatPrintALittleShareOneTransaction() {
    List<RunLog> logs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      logs.add(run("r-" + i, 3));
    }
    writer.writeAll();
    assertEquals(1, transactions);
    logs.forEach(log -> assertEquals(3, log.storedEventId()));
  }

  @Test
  void aRunTheDatabaseRefusesHoldsNeitherTheOthersNorItsOwnLaterBlocks() {
    RunLog good = run("r-good", 3);
    // 20 full blocks: two transactions of its own, the second must wait for the first
    RunLog bad = run("r-bad", 20 * EventBlocks.MAX_EVENTS);
    RunLog other = run("r-other", 3);
    failing.add("r-bad");
    writer.writeAll();
    assertEquals(3, good.storedEventId());
    assertEquals(3, other.storedEventId());
    assertEquals(0, bad.storedEventId()); // nothing after the refused blocks either
    assertTrue(committed.stream().noneMatch(range -> range.startsWith("16385-")));
    // the database is back: everything refused is stored, in order, nothing twice
    failing.clear();
    committed.clear();
    writer.writeAll();
    assertEquals(20L * EventBlocks.MAX_EVENTS, bad.storedEventId());
    assertEquals(20, committed.size());
    assertEquals("1-1024", committed.get(0));
  }

  @Test
  void aFailedReportToTheOtherServersStoresNothingTwice() {
    writer.cluster =
        new Cluster() {
          @Override
          public void stored(String runId, long lastEventId, boolean ended) {
            throw new IllegalStateException("Hazelcast instance is not active");
          }
        };
    RunLog one = run("r-one", 3);
    RunLog two = run("r-two", 3);
    writer.writeAll();
    appendOnce(one, 2);
    writer.writeAll();
    assertEquals(5, one.storedEventId());
    assertEquals(3, two.storedEventId());
    assertEquals(List.of("1-3", "1-3", "4-5"), committed);
  }

  @Test
  void aRunThatKeepsFailingIsLoggedOnceAndAgainWhenItIsStored() {
    List<java.util.logging.LogRecord> logged = new ArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(LogWriter.class.getName());
    logger.addHandler(capture);
    try {
      RunLog bad = run("r-bad", 3);
      failing.add("r-bad");
      for (int pass = 0; pass < 5; pass++) {
        writer.writeAll();
        appendOnce(bad, 1);
      }
      assertEquals(List.of("WARNING"), logged.stream().map(r -> r.getLevel().getName()).toList());
      assertTrue(logged.get(0).getMessage().contains("r-bad"));
      assertTrue(logged.get(0).getThrown().getMessage().contains("refuses run r-bad"));

      failing.clear();
      writer.writeAll();
      assertEquals(8, bad.storedEventId());
      assertEquals(2, logged.size());
      assertTrue(logged.get(1).getMessage().contains("r-bad are stored again"));
      writer.writeAll();
      assertEquals(2, logged.size());
    } finally {
      logger.removeHandler(capture);
    }
  }

  @Test
  void aWriterBehindAFastScriptGoesOnAtOnceAndOneWithLittleToDoWaits() {
    RunLog fast = run("r-fast", (int) LogWriter.BUSY_EVENTS);
    duringSave = () -> appendOnce(fast, 100);
    writer.writeAll();
    assertEquals(LogWriter.BUSY_EVENTS + 100, fast.storedEventId());

    RunLog quiet = run("r-quiet", 3);
    duringSave = () -> appendOnce(quiet, 1);
    writer.writeAll();
    assertEquals(3, quiet.storedEventId()); // its fourth line waits for the next pass
  }

  private void appendOnce(RunLog log, int lines) {
    duringSave = () -> {};
    log.append(EventType.STDOUT, lines(lines), 1);
  }

  @Test
  void aRefusedRunInASharedTransactionLeavesTheOthersStoredAlone() {
    RunLog first = run("r-1", 3);
    RunLog refused = run("r-2", 3);
    RunLog last = run("r-3", 3);
    failing.add("r-2");
    writer.writeAll();
    // the shared transaction failed, then each run was tried alone
    assertEquals(4, transactions);
    assertEquals(3, first.storedEventId());
    assertEquals(0, refused.storedEventId());
    assertEquals(3, last.storedEventId());
  }

  @Test
  void spareSegmentsOutliveARunAndGoOnceTheServerHasBeenIdleAWhile() {
    RunLog.letGoOfSpareSegments();
    RunLog log =
        new RunLog(
            new Run("r-spare", "test", JsonValue.EMPTY_JSON_OBJECT, "alice", Instant.now()), store);
    log.append(EventType.STDOUT, lines(RunLog.TAIL_EVENTS + 2 * 1024), 1);
    log.stored(log.lastEventId(), RunLog.TAIL_EVENTS); // nobody reads it: two segments are spare
    assertEquals(2, RunLog.spareSegments());
    for (int pass = 1; pass < LogWriter.IDLE_PASSES; pass++) {
      writer.writeAll(); // no run is live
    }
    assertEquals(2, RunLog.spareSegments()); // the next run may come soon
    writer.writeAll();
    assertEquals(0, RunLog.spareSegments());
  }
}
