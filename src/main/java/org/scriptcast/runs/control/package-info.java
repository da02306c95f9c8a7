/**
 * The machinery of runs: the process and its pipes, line splitting, the append-only event log with
 * its cursors, and the followers that send a log to SSE clients.
 */
package org.scriptcast.runs.control;
