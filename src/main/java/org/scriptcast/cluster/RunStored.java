package org.scriptcast.cluster;

/** A server stored the events of a run up to {@code lastEventId}; {@code ended}: its last one. */
public record RunStored(String runId, long lastEventId, boolean ended) {}
