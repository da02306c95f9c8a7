package org.scriptcast.runs.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.scriptcast.runs.control.RunStore;
import org.scriptcast.runs.entity.AuditEntry;

/**
 * The audit of who watched a run. A new follower, or a long poll from the start, is recorded each
 * time. A stream or poll that resumes (a reconnecting {@code EventSource}, a long poll after the
 * first) is recorded only if the audit has nobody of that name watching that run yet: else {@code
 * Last-Event-ID: 0} watched a whole run unrecorded. The users and runs known to be recorded are
 * kept here, so that a poll every second asks the database once.
 */
@ApplicationScoped
public class Watchers {

  /** Bounds what is kept: past it, the set starts again (the database still knows). */
  static final int KEPT = 100_000;

  @Inject RunStore store;

  private final Set<String> recorded = ConcurrentHashMap.newKeySet();

  /**
   * {@code user} follows or polls run {@code runId}; {@code resumed}: a reconnect, a later poll.
   */
  void watched(String runId, String user, AuditEntry.Action action, boolean resumed) {
    String key = runId + '\n' + user;
    if (!resumed || !(recorded.contains(key) || store.hasWatched(runId, user))) {
      store.audit(runId, user, action);
    }
    if (recorded.size() >= KEPT) {
      recorded.clear();
    }
    recorded.add(key);
  }
}
