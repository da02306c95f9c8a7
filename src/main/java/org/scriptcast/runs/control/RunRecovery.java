package org.scriptcast.runs.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.cluster.ServerLeft;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunEvent;
import org.scriptcast.runs.entity.RunRecord;
import org.scriptcast.runs.entity.RunState;

/**
 * Finishes the runs whose server stopped under them, at start-up and when a server leaves the
 * cluster: each gets a final {@code state} event INTERRUPTED and {@code result} {@code none} after
 * its last stored event, so no run stays RUNNING forever and its followers' streams end.
 */
@ApplicationScoped
public class RunRecovery {

  private static final Logger LOG = Logger.getLogger(RunRecovery.class.getName());

  /** How long before runs that could not be marked INTERRUPTED are tried again. */
  static final long RETRY_SECONDS = 60;

  @Inject RunStore store;
  @Inject Runs runs;
  @Inject Cluster cluster;

  @Resource ManagedScheduledExecutorService clock;

  /** The context path, taken at start-up: a departure is handled on a worker thread. */
  private volatile String basePath = "";

  void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    basePath = context.getContextPath();
    // runs created from now on are this server's own, and other servers that are up finish theirs
    interruptAll(record -> !runs.isLive(record.id()) && !cluster.isUp(record.server()));
  }

  /** A server of the cluster left: the oldest one still there finishes its runs. */
  void onServerLeft(@Observes ServerLeft left) {
    if (cluster.isOldest()) {
      interruptAll(record -> left.server().equals(record.server()));
    }
  }

  private void interruptAll(Predicate<RunRecord> which) {
    interruptAll(which, System.currentTimeMillis());
  }

  /**
   * The runs created before {@code createdBefore} that {@code which} picks. What could not be
   * marked (the database refused) is tried again after {@link #RETRY_SECONDS}: else the run stayed
   * RUNNING, its followers waiting, until the next start.
   */
  void interruptAll(Predicate<RunRecord> which, long createdBefore) {
    boolean failed = false;
    try {
      for (RunRecord record : store.unfinished(createdBefore)) {
        if (which.test(record)) {
          failed |= !interrupt(record, System.currentTimeMillis());
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The runs whose server stopped could not be read", e);
      failed = true;
    }
    if (failed) {
      retryLater(() -> interruptAll(which, createdBefore));
    }
  }

  /** Runs the task after {@link #RETRY_SECONDS}. */
  void retryLater(Runnable task) {
    try {
      clock.schedule(task, RETRY_SECONDS, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      LOG.fine("The server is stopping: the runs left RUNNING are marked at its next start");
    }
  }

  /** True when the run is now INTERRUPTED. */
  private boolean interrupt(RunRecord record, long now) {
    try {
      Run run = record.toRun();
      run.finish(RunState.INTERRUPTED, null, Instant.ofEpochMilli(now));
      long state = record.lastEventId() + 1;
      List<RunEvent> end =
          List.of(
              new RunEvent(
                  state, EventType.STATE, RunJson.of(run, state, basePath).toString(), now),
              new RunEvent(state + 1, EventType.RESULT, "none", now));
      store.save(
          RunRecord.of(run, state + 1, true, record.server()),
          EventBlocks.encode(run.id(), state, state + 1, id -> end.get((int) (id - state))));
      cluster.stored(run.id(), state + 1, true);
      LOG.warning(
          () ->
              "Run "
                  + run.id()
                  + " of "
                  + run.script()
                  + " was interrupted: its server stopped ("
                  + record.server()
                  + "); "
                  + record.lastEventId()
                  + " events were stored");
      return true;
    } catch (RuntimeException e) {
      // never fail the start-up for it: a server still stopping may be finishing this very run
      // (then the next try finds it finished)
      LOG.log(Level.WARNING, "Run " + record.id() + " could not be marked INTERRUPTED", e);
      return false;
    }
  }
}
