package org.scriptcast.runs.entity;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One execution of a catalog script. Its identity and parameters never change; its state moves
 * forward only ({@link #start}, {@link #finish}), and each change is recorded in its event log.
 */
public final class Run {

  private final String id;
  private final String script;
  private final JsonObject params;
  private final String startedBy;
  private final Instant createdAt;
  private final AtomicLong outputBytes = new AtomicLong();

  private volatile RunState state = RunState.QUEUED;
  private volatile Integer exitCode;
  private volatile String cancelledBy;
  private volatile Instant startedAt;
  private volatile Instant finishedAt;

  /**
   * @param params the parameters as shown to people: secret values already masked
   */
  public Run(String id, String script, JsonObject params, String startedBy, Instant createdAt) {
    this.id = id;
    this.script = script;
    this.params = params;
    this.startedBy = startedBy;
    this.createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A run as it was stored, to be shown or finished as INTERRUPTED. */
  static Run restored(
      String id,
      String script,
      JsonObject params,
      String startedBy,
      Instant createdAt,
      RunState state,
      Integer exitCode,
      String cancelledBy,
      Instant startedAt,
      Instant finishedAt,
      long outputBytes) {
    Run run = new Run(id, script, params, startedBy, createdAt);
    run.state = state;
    run.exitCode = exitCode;
    run.cancelledBy = cancelledBy;
    run.startedAt = startedAt;
    run.finishedAt = finishedAt;
    run.outputBytes.set(outputBytes);
    return run;
  }

  /** QUEUED to RUNNING; false when the run is no longer queued. */
  public synchronized boolean start(Instant now) {
    if (state != RunState.QUEUED) {
      return false;
    }
    startedAt = now.truncatedTo(ChronoUnit.MILLIS);
    state = RunState.RUNNING;
    return true;
  }

  /** To a final state; false when the run had already ended. */
  public synchronized boolean finish(RunState end, Integer code, Instant now) {
    if (state.isFinal() || !end.isFinal()) {
      return false;
    }
    exitCode = code;
    finishedAt = now.truncatedTo(ChronoUnit.MILLIS);
    state = end;
    return true;
  }

  /**
   * Records who asked to cancel the run; false when it has ended or someone already asked. The run
   * ends CANCELLED when its process is stopped (or at once, while it is queued).
   */
  public synchronized boolean cancel(String by) {
    if (state.isFinal() || cancelledBy != null) {
      return false;
    }
    cancelledBy = by;
    return true;
  }

  public void addOutputBytes(long bytes) {
    outputBytes.addAndGet(bytes);
  }

  public String id() {
    return id;
  }

  public String script() {
    return script;
  }

  public JsonObject params() {
    return params;
  }

  public String startedBy() {
    return startedBy;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public RunState state() {
    return state;
  }

  public Integer exitCode() {
    return exitCode;
  }

  public String cancelledBy() {
    return cancelledBy;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public long outputBytes() {
    return outputBytes.get();
  }
}
