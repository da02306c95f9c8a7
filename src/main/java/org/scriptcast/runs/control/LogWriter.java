package org.scriptcast.runs.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunRecord;

/**
 * Stores the events of live runs in the background, in batches: every {@link #INTERVAL_MILLIS}, all
 * that each run appended since, with the run's record, in one transaction per {@link
 * #MAX_EVENTS_PER_TRANSACTION} events. The process side never waits for the database, and no line
 * costs a round trip of its own. At shutdown the last batch is written before the application
 * stops.
 */
@ApplicationScoped
public class LogWriter {

  private static final Logger LOG = Logger.getLogger(LogWriter.class.getName());

  static final long INTERVAL_MILLIS = 100;

  /** About 1 MB of typical lines: bounds both a transaction and the heap it holds. */
  static final int MAX_EVENTS_PER_TRANSACTION = 16 * EventBlocks.MAX_EVENTS;

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
    long last = log.lastEventId();
    for (long from = log.storedEventId() + 1; from <= last; ) {
      long to = Math.min(last, from + MAX_EVENTS_PER_TRANSACTION - 1);
      boolean ended = log.get(to).type() == EventType.RESULT;
      store.save(
          RunRecord.of(log.run(), to, ended, cluster.server()),
          EventBlocks.encode(log.run().id(), from, to, log::get));
      log.stored(to);
      cluster.stored(log.run().id(), to, ended);
      runs.stored(to - from + 1);
      from = to + 1;
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
