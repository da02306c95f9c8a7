package org.scriptcast.runs.control;

import jakarta.enterprise.event.Event;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunOutput;
import org.scriptcast.runs.entity.RunState;
import org.scriptcast.runs.entity.RunStateChanged;

/**
 * Runs one run's process from start to exit code: starts it from its argv (never a shell), reads
 * standard output in the calling thread and standard error in a second task, and fires what happens
 * as CDI events. It never waits on a reader of the run: followers read the log at their own pace.
 */
public final class ProcessSupervisor {

  private static final Logger LOG = Logger.getLogger(ProcessSupervisor.class.getName());
  private static final File NO_INPUT = new File("/dev/null");

  /** One pipe read: large enough that a fast script costs one event for many lines. */
  private static final int READ_SIZE = 64 * 1024;

  private final Event<RunOutput> output;
  private final Event<RunStateChanged> changes;
  private final ExecutorService readers;
  private final int maxLineBytes;

  public ProcessSupervisor(
      Event<RunOutput> output,
      Event<RunStateChanged> changes,
      ExecutorService readers,
      int maxLineBytes) {
    this.output = output;
    this.changes = changes;
    this.readers = readers;
    this.maxLineBytes = maxLineBytes;
  }

  public void supervise(Run run, CommandLine command) {
    ProcessBuilder builder =
        new ProcessBuilder(command.argv())
            .directory(command.directory().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
    builder.environment().clear();
    builder.environment().putAll(command.environment());
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      fail(run, "scriptcast: cannot start " + command.argv().get(0) + ": " + e.getMessage());
      return;
    }
    if (run.start(Instant.now())) {
      changes.fire(new RunStateChanged(run));
    }
    Integer exitCode = null;
    try {
      Future<?> errors =
          readers.submit(() -> pump(run, process.getErrorStream(), EventType.STDERR));
      pump(run, process.getInputStream(), EventType.STDOUT);
      errors.get();
      exitCode = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (ExecutionException e) {
      LOG.log(Level.WARNING, "Reading the standard error of run " + run.id() + " failed", e);
    }
    RunState end =
        exitCode == null
            ? RunState.INTERRUPTED
            : exitCode == 0 ? RunState.SUCCEEDED : RunState.FAILED;
    if (run.finish(end, exitCode, Instant.now())) {
      changes.fire(new RunStateChanged(run));
    }
  }

  /** A process that never started: the reason as a line of standard error, then FAILED. */
  private void fail(Run run, String reason) {
    output.fire(
        new RunOutput(run.id(), EventType.STDERR, List.of(reason), System.currentTimeMillis()));
    if (run.finish(RunState.FAILED, null, Instant.now())) {
      changes.fire(new RunStateChanged(run));
    }
  }

  private void pump(Run run, InputStream pipe, EventType stream) {
    byte[] buffer = new byte[READ_SIZE];
    LineSplitter splitter = new LineSplitter(maxLineBytes);
    List<String> lines = new ArrayList<>();
    try (pipe) {
      int read;
      while ((read = pipe.read(buffer)) != -1) {
        run.addOutputBytes(read);
        splitter.split(buffer, 0, read, lines);
        if (!lines.isEmpty()) {
          output.fire(new RunOutput(run.id(), stream, lines, System.currentTimeMillis()));
          lines = new ArrayList<>();
        }
      }
    } catch (IOException e) {
      // the pipe broke: keep what was read, the exit code tells the rest
      LOG.log(Level.FINE, "Pipe of run " + run.id() + " closed", e);
    }
    splitter.finish(lines);
    if (!lines.isEmpty()) {
      output.fire(new RunOutput(run.id(), stream, lines, System.currentTimeMillis()));
    }
  }
}
