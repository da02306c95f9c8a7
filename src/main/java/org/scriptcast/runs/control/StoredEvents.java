package org.scriptcast.runs.control;

import java.util.List;
import org.scriptcast.runs.entity.RunEvent;

/** Where a run's events are read from once they are no longer in memory: the database. */
@FunctionalInterface
public interface StoredEvents {

  /** Nothing stored: for logs that never leave memory. */
  StoredEvents NONE = (runId, after, max) -> List.of();

  /** Up to {@code max} stored events of the run with ids after {@code after}, in order. */
  List<RunEvent> after(String runId, long after, int max);
}
