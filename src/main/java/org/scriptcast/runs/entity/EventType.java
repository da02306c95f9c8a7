package org.scriptcast.runs.entity;

import java.util.Locale;

/** The kinds of event in a run's log; the SSE {@code event:} field is the lower-case name. */
public enum EventType {
  STATE,
  STDOUT,
  STDERR,
  RESULT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }
}
