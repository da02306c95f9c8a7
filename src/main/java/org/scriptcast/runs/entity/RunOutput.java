package org.scriptcast.runs.entity;

/**
 * CDI event: lines a run's process wrote to one stream, as read in one go from the pipe. One event
 * per read, not per line, so a fast script costs one dispatch for many lines. Fired synchronously,
 * and its lines are valid only until the observers return: the reader reuses them for its next read
 * (the log copies them).
 *
 * @param stream {@link EventType#STDOUT} or {@link EventType#STDERR}
 * @param time when the server read them, in milliseconds since the epoch
 */
public record RunOutput(String runId, EventType stream, Lines lines, long time) {}
