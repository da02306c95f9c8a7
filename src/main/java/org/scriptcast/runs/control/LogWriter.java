package org.scriptcast.runs.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
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
 * that each run appended since (already encoded by its {@link RunLog} as blocks), with the run's
 * record, in one transaction per {@link #BLOCKS_PER_TRANSACTION} blocks. The process side never
 * waits for the database, and no line costs a round trip of its own. At shutdown the last batch is
 * written before the application stops.
 */
@ApplicationScoped
public class LogWriter {

  private static final Logger LOG = Logger.getLogger(LogWriter.class.getName());

  static final long INTERVAL_MILLIS = 100;

  /** Up to 16,384 events or about 1 MB: bounds both a transaction and the heap it holds. */
  static final int BLOCKS_PER_TRANSACTION = 16;

  /**
   * Stored events kept in memory for followers that are behind, over all live runs: 262,144 events
   * of 80-byte lines take about 45 MB. Each run gets its share; a follower further behind than its
   * run's share reads from the database.
   */
  static final long FOLLOWER_EVENTS = 256 * 1024;

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

  /** One pass over the live runs. Synchronized: the clock and the shutdown never write at once. */
  synchronized void writeAll() {
    for (RunLog log : runs.live()) {
      try {
        write(log);
      } catch (RuntimeException e) {
        // the database is away or full: the events stay in memory, the next pass tries again
        LOG.log(Level.WARNING, "Could not store the events of run " + log.run().id(), e);
      }
    }
  }

  private void write(RunLog log) {
    // the events kept for lagging followers, shared by the live runs
    long keepBehind =
        Math.max(RunLog.TAIL_EVENTS, FOLLOWER_EVENTS / Math.max(1, runs.live().size()));
    List<EventBlock> blocks = log.unstoredBlocks();
    for (int i = 0; i < blocks.size(); i += BLOCKS_PER_TRANSACTION) {
      List<EventBlock> batch =
          blocks.subList(i, Math.min(blocks.size(), i + BLOCKS_PER_TRANSACTION));
      long from = batch.get(0).firstId();
      long to = batch.get(batch.size() - 1).lastId();
      boolean ended = log.get(to).type() == EventType.RESULT;
      store.save(RunRecord.of(log.run(), to, ended, cluster.server()), batch);
      log.stored(to, keepBehind);
      cluster.stored(log.run().id(), to, ended);
      runs.stored(to - from + 1);
    }
    if (log.isComplete() && log.storedEventId() == log.lastEventId()) {
      runs.retire(log);
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
