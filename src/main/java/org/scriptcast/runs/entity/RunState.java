package org.scriptcast.runs.entity;

/** Where a run is in its life. The last four are final. */
public enum RunState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT,
  INTERRUPTED;

  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
