package org.scriptcast.runs.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunRecord;

/**
 * Stores the events of live runs in the background, in batches: every {@link #INTERVAL_MILLIS}, all
 * that each run appended since (encoded as blocks by its {@link RunLog}), with the run's record, in
 * one transaction per {@link #BLOCKS_PER_TRANSACTION} blocks. The process side never waits for the
 * database, and no line costs a round trip of its own. At shutdown the last batch is written before
 * the application stops.
 */
@ApplicationScoped
public class LogWriter {

  private static final Logger LOG = Logger.getLogger(LogWriter.class.getName());

  static final long INTERVAL_MILLIS = 100;

  /**
   * Up to 24,576 events, about 2 MB of 80-byte lines (3 MB at most): bounds both a transaction and
   * the heap it holds. Why not fewer: a transaction costs the same again in EclipseLink, the
   * transaction manager and H2's commit whatever it holds, and with 1 MB transactions the writer
   * took 190 to 420 ms of CPU per batched 1,000,000-line run (median of 12: 325), with 2 MB 180 to
   * 290 (median 225), the largest part of the server's CPU. Why not more: H2 reuses its write
   * buffer only up to 4 MB, and with 4 MB transactions (of 256 KB blocks) G1 took 0.2 s of CPU per
   * run instead of 0.02.
   */
  static final int BLOCKS_PER_TRANSACTION = 24;

  /**
   * Memory for stored events kept for followers that are behind, over all live runs: a tenth of the
   * heap (51 MB in a 512 MiB heap, about 550,000 80-byte lines). Each run gets its share; a
   * follower further behind than its run's share reads from the database. Why this much: a batched
   * follower is slower than a script at full speed, and once it fell out of memory, reading the
   * blocks back from the database was half of its time in a profile of a 1,000,000-line run. Why
   * not more: in a 512 MiB heap a fifth left G1 so little room that it collected every 30 ms (a
   * batched 1,000,000-line run, median of 9 after 30 to warm up: 1.72 million lines/s with a fifth,
   * 1.83 and 1.95 million with a tenth, 1.80 million with a twentieth).
   */
  static final long FOLLOWER_BYTES = Runtime.getRuntime().maxMemory() / 10;

  /**
   * A pass that stored at least this many events is followed by the next at once, not after the
   * interval. Why: a script faster than the writer fills the unstored allowance ({@link
   * Runs#MAX_UNSTORED}) and its reader waits for the writer; a writer that then slept 100 ms after
   * every pass capped a full-speed script at about 1.2 million lines/s, with a third of the two
   * cores idle.
   */
  static final long BUSY_EVENTS = 8 * 1024;

  /**
   * Passes without a live run before the spare segments go (5 s): an idle server keeps no memory
   * for runs, but a server between two runs keeps it for the next one. Let go after every run, the
   * spares were gone by the time the next run started, and its first 16 MB of segments were new
   * arrays (13 % of the pipe reader's samples in a profile of back-to-back batched runs).
   */
  static final int IDLE_PASSES = 50;

  /** Passes in a row that found no live run; guarded by this. */
  private int idlePasses;

  /** Events stored in the pass under way; guarded by this. */
  private long storedInPass;

  @Inject Runs runs;
  @Inject RunStore store;
  @Inject Cluster cluster;

  @Resource ManagedScheduledExecutorService clock;

  private ScheduledFuture<?> task;

  void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
    task =
        clock.scheduleWithFixedDelay(
            this::writeAll, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * One pass over the live runs: their new blocks, in transactions of up to {@link
   * #BLOCKS_PER_TRANSACTION} blocks that may hold several runs, each encoded just before its
   * transaction. Runs that print a little each are one transaction a pass between them, not one
   * each: 50 runs at 20 lines/s took 12 % of a core in the writer with one each. Synchronized: the
   * clock and the shutdown never write at once.
   */
  synchronized void writeAll() {
    do {
      storedInPass = 0;
      pass();
    } while (storedInPass >= BUSY_EVENTS);
  }

  private void pass() {
    // the events kept for lagging followers, shared by the live runs
    long share = FOLLOWER_BYTES / Math.max(1, runs.live().size());
    // a run whose blocks failed to store stores none of its later ones in this pass: its record
    // would claim events stored that are not, and the log would let go of them
    Set<RunLog> failed = new HashSet<>();
    List<Part> transaction = new ArrayList<>();
    int blocksInIt = 0;
    for (RunLog log : runs.live()) {
      // up to what it has now: a script that prints on does not keep the pass to itself
      long last = log.lastEventId();
      for (long after = log.storedEventId(); after < last && !failed.contains(log); ) {
        Part part =
            new Part(log, log.unstoredBlocks(after, last, BLOCKS_PER_TRANSACTION - blocksInIt));
        transaction.add(part);
        blocksInIt += part.blocks.size();
        after = part.to;
        if (blocksInIt == BLOCKS_PER_TRANSACTION) {
          commit(transaction, share, failed);
          transaction = new ArrayList<>();
          blocksInIt = 0;
        }
      }
    }
    commit(transaction, share, failed);
    for (RunLog log : runs.live()) {
      if (log.isComplete() && log.storedEventId() == log.lastEventId()) {
        runs.retire(log);
      }
    }
    if (!runs.live().isEmpty()) {
      idlePasses = 0;
    } else if (++idlePasses == IDLE_PASSES) {
      RunLog.letGoOfSpareSegments(); // an idle server keeps no memory for runs
    }
  }

  /** Consecutive blocks of one run, and the run's record as of their last event. */
  private final class Part {
    final RunLog log;
    final List<EventBlock> blocks;
    final long to;
    final boolean ended;
    final RunRecord record;

    Part(RunLog log, List<EventBlock> blocks) {
      this.log = log;
      this.blocks = blocks;
      to = blocks.get(blocks.size() - 1).lastId();
      ended = log.type(to) == EventType.RESULT;
      record = RunRecord.of(log.run(), to, ended, cluster.server());
    }
  }

  private void commit(List<Part> transaction, long share, Set<RunLog> failed) {
    List<Part> parts = transaction.stream().filter(part -> !failed.contains(part.log)).toList();
    if (parts.isEmpty()) {
      return;
    }
    try {
      store.save(
          parts.stream().map(part -> part.record).toList(),
          parts.stream().flatMap(part -> part.blocks.stream()).toList());
      parts.forEach(part -> stored(part, share));
    } catch (RuntimeException e) {
      if (parts.size() == 1) {
        // the database is away or full: the events stay in memory, the next pass tries again
        failed(parts.get(0), e, failed);
        return;
      }
      // one run's trouble must not hold the others: each alone
      for (Part part : parts) {
        if (failed.contains(part.log)) {
          continue;
        }
        try {
          store.save(List.of(part.record), part.blocks);
          stored(part, share);
        } catch (RuntimeException alone) {
          failed(part, alone, failed);
        }
      }
    }
  }

  /**
   * How often a run whose events keep failing to store is logged again. Why: the writer tries again
   * every pass, and a database that had closed itself (H2 after an OutOfMemoryError) wrote a stack
   * trace per run and pass, 66 MB of log in 5 minutes.
   */
  static final long FAILURE_LOG_MILLIS = 60_000;

  /** Runs whose events failed to store, and when that was last logged; guarded by this. */
  private final Map<String, Long> failing = new HashMap<>();

  private void failed(Part part, RuntimeException e, Set<RunLog> failed) {
    failed.add(part.log);
    String id = part.log.run().id();
    long now = System.currentTimeMillis();
    Long logged = failing.get(id);
    if (logged == null || now - logged >= FAILURE_LOG_MILLIS) {
      failing.put(id, now);
      LOG.log(
          Level.WARNING,
          "Could not store the events of run "
              + id
              + (logged == null ? "" : ", still")
              + ": they stay in memory, and the writer tries again every pass",
          e);
    }
  }

  /**
   * The part is stored; its run keeps what its followers have yet to read, up to its share. Nothing
   * here may throw: the part is committed, and a throw would have {@link #commit} save it again
   * (refused by the key, and the run's later parts re-encoded from the old point for good). So the
   * other servers' report, the one step that can fail (Hazelcast shutting down), is caught alone.
   */
  private void stored(Part part, long share) {
    String id = part.log.run().id();
    if (failing.remove(id) != null) {
      LOG.info("The events of run " + id + " are stored again");
    }
    part.log.stored(part.to, Math.max(RunLog.TAIL_EVENTS, part.log.eventsIn(share)));
    long events = part.to - part.blocks.get(0).firstId() + 1;
    runs.stored(events);
    storedInPass += events;
    try {
      cluster.stored(id, part.to, part.ended);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not tell the other servers that run " + id + " is stored", e);
    }
  }

  /** Stops the clock and writes what is left. Called at shutdown, more than once is harmless. */
  @PreDestroy
  public void stop() {
    if (task != null) {
      task.cancel(false);
    }
    writeAll();
    LOG.info("scriptcast stops: the events read so far are stored");
  }
}
