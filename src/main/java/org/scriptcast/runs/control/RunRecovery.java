package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunEvent;
import org.scriptcast.runs.entity.RunRecord;
import org.scriptcast.runs.entity.RunState;

/**
 * At start-up, finishes the runs that the last server left QUEUED or RUNNING (it stopped under
 * them): each gets a final {@code state} event INTERRUPTED and {@code result} {@code none} after
 * its last stored event, so no run stays RUNNING forever and its followers' streams end.
 */
@ApplicationScoped
public class RunRecovery {

  private static final Logger LOG = Logger.getLogger(RunRecovery.class.getName());

  @Inject RunStore store;
  @Inject Runs runs;

  void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    long now = System.currentTimeMillis();
    // runs created from now on are this server's own
    for (RunRecord record : store.unfinished(now)) {
      if (!runs.isLive(record.id())) {
        try {
          interrupt(record, context.getContextPath(), now);
        } catch (RuntimeException e) {
          // never fail the start-up for it: a server still stopping may be finishing this very run
          LOG.log(Level.WARNING, "Run " + record.id() + " could not be marked INTERRUPTED", e);
        }
      }
    }
  }

  private void interrupt(RunRecord record, String basePath, long now) {
    Run run = record.toRun();
    run.finish(RunState.INTERRUPTED, null, Instant.ofEpochMilli(now));
    long state = record.lastEventId() + 1;
    List<RunEvent> end =
        List.of(
            new RunEvent(state, EventType.STATE, RunJson.of(run, state, basePath).toString(), now),
            new RunEvent(state + 1, EventType.RESULT, "none", now));
    store.save(
        RunRecord.of(run, state + 1, true),
        EventBlocks.encode(run.id(), state, state + 1, id -> end.get((int) (id - state))));
    LOG.warning(
        () ->
            "Run "
                + run.id()
                + " of "
                + run.script()
                + " was interrupted by the last server stop; "
                + record.lastEventId()
                + " events were stored");
  }
}
