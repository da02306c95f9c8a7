/**
 * What the outside calls to start, inspect and follow runs: the {@code /api/runs} resources, the
 * event stream, and the EJB that launches a run's process.
 */
package org.scriptcast.runs.boundary;
