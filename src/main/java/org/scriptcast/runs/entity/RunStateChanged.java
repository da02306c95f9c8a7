package org.scriptcast.runs.entity;

/** CDI event: a run was created, started or ended; {@link Run#state()} tells which. */
public record RunStateChanged(Run run) {}
