package org.scriptcast.runs.control;

/** Where a run's events are read from once they are no longer in memory: the database. */
@FunctionalInterface
interface StoredEvents {

  /** Nothing stored: for logs that never leave memory. */
  StoredEvents NONE = (runId, after, max) -> EventPage.EMPTY;

  /** Up to {@code max} stored events of the run with ids after {@code after}, in order. */
  EventPage after(String runId, long after, int max);
}
