package org.scriptcast.runs.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.cluster.CancelAsked;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.control.Executions;
import org.scriptcast.runs.control.ProcessSupervisor;
import org.scriptcast.runs.control.RunJournal;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.RunQueue;
import org.scriptcast.runs.control.RunQueue.Admission;
import org.scriptcast.runs.control.RunQueue.Pending;
import org.scriptcast.runs.control.Runs;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunOutput;
import org.scriptcast.runs.entity.RunState;
import org.scriptcast.runs.entity.RunStateChanged;

/**
 * Launches runs: records a new run as QUEUED and, when a place is free, executes it as a task on
 * the dedicated managed executor of {@code server-config/}. The task that finishes a run takes the
 * next waiting one, so the executor's threads are the places.
 */
@Stateless
public class RunLauncher {

  private static final Logger LOG = Logger.getLogger(RunLauncher.class.getName());

  /** Bounded, with no hung-task limit: a script may rightly run for hours. */
  @Resource(lookup = "concurrent/scriptcast-runs")
  ManagedExecutorService executor;

  @Inject Runs runs;
  @Inject Cluster cluster;
  @Inject RunQueue queue;
  @Inject Executions executions;
  @Inject Settings settings;
  @Inject Event<RunOutput> output;
  @Inject Event<RunStateChanged> changes;

  /**
   * Records the run as QUEUED and executes it when a place is free; empty when the queue is full
   * (then nothing of it is recorded).
   */
  public Optional<RunLog> launch(Run run, Script script, CommandLine commandLine) {
    RunLog[] log = new RunLog[1];
    Pending first = new Pending(run, script, commandLine);
    Admission admission =
        queue.admit(
            first,
            () -> {
              log[0] = runs.register(run);
              changes.fire(new RunStateChanged(run));
            });
    if (admission == Admission.REFUSE) {
      return Optional.empty();
    }
    if (admission == Admission.EXECUTE) {
      ProcessSupervisor supervisor =
          new ProcessSupervisor(output, changes, executor, executions, settings.maxLineBytes());
      RunQueue places = queue;
      executor.execute(
          () -> {
            for (Pending pending = first;
                pending != null;
                pending = places.next(pending.script())) {
              try {
                supervisor.supervise(
                    pending.run(), pending.commandLine(), pending.script().timeoutSeconds());
              } catch (RuntimeException | Error e) {
                // the executor would swallow it: a failed run must at least be in the log
                LOG.log(Level.SEVERE, "Run " + pending.run().id() + " failed in scriptcast", e);
              }
            }
          });
    }
    return Optional.of(log[0]);
  }

  /**
   * Cancels a queued or executing run: a queued one ends CANCELLED at once, without starting; an
   * executing one is stopped (SIGTERM, then SIGKILL after the grace period) and ends CANCELLED when
   * its process does. False when the run has already ended.
   */
  public boolean cancel(Run run, String by) {
    if (run.state().isFinal()) {
      return false;
    }
    if (run.cancel(by)) {
      RunJournal.cancelAsked(run, by);
      if (queue.remove(run.id())) {
        if (run.finish(RunState.CANCELLED, null, Instant.now())) {
          changes.fire(new RunStateChanged(run));
        }
      } else if (!executions.stop(run.id(), RunState.CANCELLED) && !runs.isLive(run.id())) {
        // it executes on another server: that one stops it
        cluster.cancel(run.id(), by);
      }
      // else on its way from the queue to its process: it sees cancelledBy there
    } else if (run.state().isFinal()) {
      return false; // it ended between the check above and the cancel
    }
    return true;
  }

  /** A cancel asked through another server, for a run that may execute here. */
  public void onCancelAsked(@Observes CancelAsked asked) {
    runs.liveRun(asked.runId()).ifPresent(run -> cancel(run, asked.by()));
  }
}
