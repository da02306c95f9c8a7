package org.scriptcast.runs.control;

import java.time.Duration;
import java.util.logging.Logger;
import org.scriptcast.runs.entity.Run;

/**
 * One log line per step of a run's life, in {@code key=value} form (logfmt) under the logger {@code
 * scriptcast.runs}, so that log tools can pick runs out of the server log: created, started, cancel
 * asked, ended.
 */
public final class RunJournal {

  private static final Logger LOG = Logger.getLogger("scriptcast.runs");

  private RunJournal() {}

  /** The run's state as it is now: QUEUED at creation, RUNNING at start, or its end. */
  static void stateChanged(Run run) {
    switch (run.state()) {
      case QUEUED -> line("run.created", run, "user=" + quoted(run.startedBy()));
      case RUNNING -> line("run.started", run, "");
      default ->
          line(
              "run.ended",
              run,
              "state="
                  + run.state()
                  + " exitCode="
                  + (run.exitCode() == null ? "none" : run.exitCode())
                  + " outputBytes="
                  + run.outputBytes()
                  + (run.startedAt() == null || run.finishedAt() == null
                      ? ""
                      : " seconds="
                          + Duration.between(run.startedAt(), run.finishedAt()).toMillis()
                              / 1000.0));
    }
  }

  public static void cancelAsked(Run run, String by) {
    line("run.cancel", run, "user=" + quoted(by));
  }

  private static void line(String event, Run run, String more) {
    LOG.info(
        () ->
            "event="
                + event
                + " run="
                + run.id()
                + " script="
                + run.script()
                + (more.isEmpty() ? "" : " " + more));
  }

  /** User names come from logins: quoted, so that a space or an equals sign cannot forge a key. */
  private static String quoted(String value) {
    return value == null ? "none" : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
