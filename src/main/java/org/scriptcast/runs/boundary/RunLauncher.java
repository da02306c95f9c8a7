package org.scriptcast.runs.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.control.ProcessSupervisor;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.RunQueue;
import org.scriptcast.runs.control.RunQueue.Pending;
import org.scriptcast.runs.control.Runs;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunOutput;
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
  @Inject RunQueue queue;
  @Inject Settings settings;
  @Inject Event<RunOutput> output;
  @Inject Event<RunStateChanged> changes;

  public RunLog launch(Run run, CommandLine commandLine) {
    RunLog log = runs.register(run);
    changes.fire(new RunStateChanged(run));
    Pending first = new Pending(run, commandLine);
    if (queue.admit(first)) {
      ProcessSupervisor supervisor =
          new ProcessSupervisor(output, changes, executor, settings.maxLineBytes());
      RunQueue places = queue;
      executor.execute(
          () -> {
            for (Pending pending = first; pending != null; pending = places.next()) {
              try {
                supervisor.supervise(pending.run(), pending.commandLine());
              } catch (RuntimeException | Error e) {
                // the executor would swallow it: a failed run must at least be in the log
                LOG.log(Level.SEVERE, "Run " + pending.run().id() + " failed in scriptcast", e);
              }
            }
          });
    }
    return log;
  }
}
