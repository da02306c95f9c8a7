package org.scriptcast.runs.entity;

/**
 * One event of a run's log.
 *
 * @param id 1 for the run's first event, then +1 for each next one
 * @param data the line's exact text (CR included), the run object as JSON, or the exit code
 * @param time when the server read it, in milliseconds since the epoch
 */
public record RunEvent(long id, EventType type, String data, long time) {}
