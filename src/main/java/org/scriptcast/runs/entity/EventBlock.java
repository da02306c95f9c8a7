package org.scriptcast.runs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/**
 * Consecutive events of one run, stored as one row: events {@code firstId..lastId}, encoded
 * compactly by {@code EventBlocks}. A row per event would cost more in index and row overhead than
 * the 80 bytes of a typical line.
 *
 * <p>The key is {@code (runId, lastId)}, so "the blocks of a run after event N" is one range scan
 * of the primary key: {@code lastId > N}.
 */
@Entity
@Table(name = "scriptcast_event_block")
@IdClass(EventBlock.Key.class)
public class EventBlock {

  /** The primary key. */
  public static class Key implements Serializable {
    String runId;
    long lastId;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.runId.equals(runId) && key.lastId == lastId;
    }

    @Override
    public int hashCode() {
      return runId.hashCode() * 31 + Long.hashCode(lastId);
    }
  }

  @Id
  @Column(name = "run_id")
  String runId;

  @Id
  @Column(name = "last_id")
  long lastId;

  @Column(name = "first_id")
  long firstId;

  byte[] events;

  protected EventBlock() {}

  public EventBlock(String runId, long firstId, long lastId, byte[] events) {
    this.runId = runId;
    this.firstId = firstId;
    this.lastId = lastId;
    this.events = events;
  }

  public String runId() {
    return runId;
  }

  public long firstId() {
    return firstId;
  }

  public long lastId() {
    return lastId;
  }

  public byte[] events() {
    return events;
  }
}
