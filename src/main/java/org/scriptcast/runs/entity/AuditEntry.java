package org.scriptcast.runs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** Who did what with a run, and when: started, cancelled, followed, polled, downloaded it. */
@Entity
@Table(name = "scriptcast_audit_entry")
public class AuditEntry {

  /** What a user did with a run. */
  public enum Action {
    STARTED,
    CANCELLED,
    FOLLOWED,
    POLLED,
    DOWNLOADED
  }

  /** A random id: EclipseLink's IDENTITY support calls a function that H2 2 no longer has. */
  @Id String id;

  @Column(name = "run_id")
  String runId;

  long at;

  @Column(name = "user_name")
  String user;

  String action;

  protected AuditEntry() {}

  public AuditEntry(String runId, long at, String user, Action action) {
    this.id = UUID.randomUUID().toString();
    this.runId = runId;
    this.at = at;
    this.user = user;
    this.action = action.name();
  }

  public long at() {
    return at;
  }

  public String user() {
    return user;
  }

  public String action() {
    return action;
  }
}
