package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.entity.Run;

/**
 * Admission of runs: at most {@code scriptcast.maxConcurrentRuns} execute at once, the others wait
 * in creation order. A worker that finishes a run takes the next waiting one, so a waiting run
 * holds no thread.
 */
@ApplicationScoped
public class RunQueue {

  /** A run waiting for a worker, with the command it will execute. */
  public record Pending(Run run, CommandLine commandLine) {}

  @Inject Settings settings;

  private final Deque<Pending> waiting = new ArrayDeque<>();
  private int executing;

  /** True when the caller may execute it now; false when it waits its turn. */
  public synchronized boolean admit(Pending pending) {
    if (executing < settings.maxConcurrentRuns()) {
      executing++;
      return true;
    }
    waiting.add(pending);
    return false;
  }

  /** The next waiting run for a worker that finished one; null frees the worker's place. */
  public synchronized Pending next() {
    Pending pending = waiting.poll();
    if (pending == null) {
      executing--;
    }
    return pending;
  }
}
