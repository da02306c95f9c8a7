package org.scriptcast.cluster;

/** A server left the cluster (stopped or died): its unfinished runs must not stay RUNNING. */
public record ServerLeft(String server) {}
