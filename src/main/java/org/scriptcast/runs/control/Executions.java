package org.scriptcast.runs.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.scriptcast.platform.Settings;
import org.scriptcast.runs.entity.RunState;

/**
 * The process trees of the runs that are executing, and the one way they are stopped: SIGTERM to
 * every process of the run, then SIGKILL to whatever is left after {@code
 * scriptcast.killGraceSeconds}. Cancel, timeouts, left-over children and server shutdown all use
 * it.
 */
@ApplicationScoped
public class Executions {

  /** One executing run: its process tree, and why it is being stopped, if it is. */
  static final class Execution {
    final ProcessTree tree;
    private final AtomicReference<RunState> stopReason = new AtomicReference<>();

    Execution(ProcessTree tree) {
      this.tree = tree;
    }

    /** Why the run was stopped (CANCELLED, TIMED_OUT, INTERRUPTED), or null if it was not. */
    RunState stopReason() {
      return stopReason.get();
    }
  }

  @Inject Settings settings;

  @Resource ManagedScheduledExecutorService clock;

  private final Map<String, Execution> executing = new ConcurrentHashMap<>();

  /** Set by {@link #stopAll}: a process started after it is stopped at once. */
  private volatile boolean stopping;

  Execution register(String runId, ProcessTree tree) {
    Execution execution = new Execution(tree);
    executing.put(runId, execution);
    // after the put: either stopAll's pass sees this execution, or this sees its flag (or both)
    if (stopping) {
      stop(execution, RunState.INTERRUPTED);
    }
    return execution;
  }

  void remove(String runId) {
    executing.remove(runId);
  }

  /** Stops an executing run for {@code reason}; false when it is not executing here. */
  public boolean stop(String runId, RunState reason) {
    Execution execution = executing.get(runId);
    if (execution == null) {
      return false;
    }
    stop(execution, reason);
    return true;
  }

  void stop(Execution execution, RunState reason) {
    if (execution.stopReason.compareAndSet(null, reason)) {
      killInGrace(execution.tree);
    }
  }

  /** SIGTERM now, SIGKILL to what is left after the grace period. */
  void killInGrace(ProcessTree tree) {
    if (tree.terminate() == 0) {
      return;
    }
    try {
      clock.schedule(tree::kill, settings.killGraceSeconds(), TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      tree.kill(); // the server is stopping: no grace
    }
  }

  /**
   * At server shutdown: every executing run is stopped as INTERRUPTED, and this waits (at most the
   * grace period and a little) until their supervisors have recorded it, killing what is left.
   */
  public void stopAll() throws InterruptedException {
    stopping = true;
    executing
        .values()
        .forEach(
            execution -> {
              execution.stopReason.compareAndSet(null, RunState.INTERRUPTED);
              execution.tree.terminate();
            });
    long graceEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.killGraceSeconds());
    while (!executing.isEmpty() && System.nanoTime() < graceEnds) {
      Thread.sleep(50);
    }
    executing.values().forEach(execution -> execution.tree.kill());
    long recordEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!executing.isEmpty() && System.nanoTime() < recordEnds) {
      Thread.sleep(50);
    }
  }
}
