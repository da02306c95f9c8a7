package org.scriptcast.cluster;

/** A user asked, through another server, to cancel a run that executes here. */
public record CancelAsked(String runId, String by) {}
