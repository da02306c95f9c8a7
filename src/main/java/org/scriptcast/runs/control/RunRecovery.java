package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Instant;
import java.util.List;
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

  @Inject RunStore store;
  @Inject Runs runs;
  @Inject Cluster cluster;

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
    long now = System.currentTimeMillis();
    for (RunRecord record : store.unfinished(now)) {
      if (which.test(record)) {
        interrupt(record, now);
      }
    }
  }

  private void interrupt(RunRecord record, long now) {
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
    } catch (RuntimeException e) {
      // never fail the start-up for it: a server still stopping may be finishing this very run
      LOG.log(Level.WARNING, "Run " + record.id() + " could not be marked INTERRUPTED", e);
    }
  }
}
