package org.scriptcast.runs.entity;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Query;
import jakarta.persistence.Table;
import java.io.StringReader;
import java.time.Instant;

/**
 * A run as stored: what {@link Run} knows, and {@code lastEventId}, the last of its events that is
 * stored with it. Times are milliseconds since the epoch, the same on every database.
 */
@Entity
@Table(name = "scriptcast_run")
@NamedQuery(
    name = RunRecord.UPDATE,
    query =
        "UPDATE RunRecord r SET r.state = :state, r.exitCode = :exitCode,"
            + " r.cancelledBy = :cancelledBy, r.startedAt = :startedAt,"
            + " r.finishedAt = :finishedAt, r.lastEventId = :lastEventId,"
            + " r.outputBytes = :outputBytes, r.server = :server WHERE r.id = :id")
public class RunRecord {

  /**
   * What changes in a stored run, written without reading the row first (a merge reads it): the
   * writer does this every 0.1 s for every live run.
   */
  public static final String UPDATE = "RunRecord.update";

  @Id String id;
  String script;
  String params;
  String state;

  @Column(name = "exit_code")
  Integer exitCode;

  @Column(name = "started_by")
  String startedBy;

  @Column(name = "cancelled_by")
  String cancelledBy;

  @Column(name = "created_at")
  long createdAt;

  @Column(name = "started_at")
  Long startedAt;

  @Column(name = "finished_at")
  Long finishedAt;

  @Column(name = "last_event_id")
  long lastEventId;

  @Column(name = "output_bytes")
  long outputBytes;

  /** The server that executes the run (its cluster member id). */
  String server;

  protected RunRecord() {}

  /**
   * The run as it is now, with its events stored up to {@code lastEventId}.
   *
   * @param server the server that executes it
   * @param ended whether those events include the run's end. Until they do, a run that has just
   *     ended is stored as still running, so that a record never claims an end its events lack: a
   *     crash then leaves a run that the next start finishes as INTERRUPTED.
   */
  public static RunRecord of(Run run, long lastEventId, boolean ended, String server) {
    RunRecord record = new RunRecord();
    record.server = server;
    record.id = run.id();
    record.script = run.script();
    record.params = run.params().toString();
    RunState state = run.state();
    boolean shownEnded = ended || !state.isFinal();
    record.state =
        shownEnded
            ? state.name()
            : run.startedAt() == null ? RunState.QUEUED.name() : RunState.RUNNING.name();
    record.exitCode = shownEnded ? run.exitCode() : null;
    record.startedBy = run.startedBy();
    record.cancelledBy = run.cancelledBy();
    record.createdAt = run.createdAt().toEpochMilli();
    record.startedAt = millis(run.startedAt());
    record.finishedAt = shownEnded ? millis(run.finishedAt()) : null;
    record.lastEventId = lastEventId;
    record.outputBytes = run.outputBytes();
    return record;
  }

  /** Sets the parameters of {@link #UPDATE} to this record's values. */
  public Query update(Query update) {
    return update
        .setParameter("id", id)
        .setParameter("state", state)
        .setParameter("exitCode", exitCode)
        .setParameter("cancelledBy", cancelledBy)
        .setParameter("startedAt", startedAt)
        .setParameter("finishedAt", finishedAt)
        .setParameter("lastEventId", lastEventId)
        .setParameter("outputBytes", outputBytes)
        .setParameter("server", server);
  }

  /** The run this record stores, in the state it was stored in. */
  public Run toRun() {
    JsonObject shownParams;
    try (var reader = JSON.createReader(new StringReader(params))) {
      shownParams = reader.readObject();
    }
    return Run.restored(
        id,
        script,
        shownParams,
        startedBy,
        Instant.ofEpochMilli(createdAt),
        RunState.valueOf(state),
        exitCode,
        cancelledBy,
        instant(startedAt),
        instant(finishedAt),
        outputBytes);
  }

  public String id() {
    return id;
  }

  public String server() {
    return server;
  }

  public long lastEventId() {
    return lastEventId;
  }

  public RunState state() {
    return RunState.valueOf(state);
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
