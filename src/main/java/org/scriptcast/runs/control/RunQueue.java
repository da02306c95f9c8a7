package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.entity.Run;

/**
 * Admission of runs. At most {@code scriptcast.maxConcurrentRuns} execute at once, and at most a
 * script's {@code maxConcurrent} of one script; up to {@code scriptcast.queueCapacity} more wait,
 * in creation order; beyond that a run is refused. A worker that finishes a run takes the next
 * waiting one that may execute, so a waiting run holds no thread.
 */
@ApplicationScoped
public class RunQueue {

  /** A run waiting for a worker, with what it will execute. */
  public record Pending(Run run, Script script, CommandLine commandLine) {}

  /** What {@link #admit} decided. */
  public enum Admission {
    EXECUTE,
    WAIT,
    REFUSE
  }

  @Inject Settings settings;

  private final List<Pending> waiting = new ArrayList<>();
  private final Map<String, Integer> executingByScript = new HashMap<>();
  private int executing;

  /**
   * The server is stopping: no run starts any more (those waiting are INTERRUPTED at next start).
   */
  private boolean stopping;

  /**
   * A run that may execute executes at once, even with others waiting: those wait for their own
   * script's limit (a waiting run that could execute never waits, {@link #next} sees to that).
   * {@code admitted} runs under the queue's lock when the run is taken, before any worker can see
   * it: there the run is recorded and its QUEUED event fired, so that nothing of it happens first.
   */
  public synchronized Admission admit(Pending pending, Runnable admitted) {
    Admission admission;
    if (stopping) {
      return Admission.REFUSE;
    } else if (mayExecute(pending.script())) {
      take(pending.script());
      admission = Admission.EXECUTE;
    } else if (waiting.size() < settings.queueCapacity()) {
      waiting.add(pending);
      admission = Admission.WAIT;
    } else {
      return Admission.REFUSE;
    }
    try {
      admitted.run();
    } catch (RuntimeException e) {
      if (admission == Admission.EXECUTE) {
        release(pending.script());
      } else {
        waiting.remove(pending);
      }
      throw e;
    }
    return admission;
  }

  /**
   * For a worker that finished a run of {@code finished}: the first waiting run that may execute
   * now, which it then executes; null frees the worker's place.
   */
  public synchronized Pending next(Script finished) {
    release(finished);
    if (stopping) {
      return null; // a worker whose run was stopped with the server starts no other
    }
    for (Iterator<Pending> candidates = waiting.iterator(); candidates.hasNext(); ) {
      Pending candidate = candidates.next();
      if (mayExecute(candidate.script())) {
        candidates.remove();
        take(candidate.script());
        return candidate;
      }
    }
    return null;
  }

  /** At server shutdown, before the executing runs are stopped: from now on none starts. */
  public synchronized void stop() {
    stopping = true;
  }

  public synchronized boolean stopping() {
    return stopping;
  }

  /** Takes a waiting run out of the queue (it was cancelled); false when it was not waiting. */
  public synchronized boolean remove(String runId) {
    return waiting.removeIf(pending -> pending.run().id().equals(runId));
  }

  /** 1 for the next run to start, and so on; 0 when the run is not waiting. */
  /** Runs executing on this server now. */
  public synchronized int executing() {
    return executing;
  }

  /** Runs waiting in this server's queue now. */
  public synchronized int waiting() {
    return waiting.size();
  }

  public synchronized int position(String runId) {
    for (int i = 0; i < waiting.size(); i++) {
      if (waiting.get(i).run().id().equals(runId)) {
        return i + 1;
      }
    }
    return 0;
  }

  private boolean mayExecute(Script script) {
    return executing < settings.maxConcurrentRuns()
        && (script.maxConcurrent() <= 0
            || executingByScript.getOrDefault(script.name(), 0) < script.maxConcurrent());
  }

  private void take(Script script) {
    executing++;
    executingByScript.merge(script.name(), 1, Integer::sum);
  }

  private void release(Script script) {
    executing--;
    executingByScript.merge(script.name(), -1, (count, minus) -> count == 1 ? null : count - 1);
  }
}
