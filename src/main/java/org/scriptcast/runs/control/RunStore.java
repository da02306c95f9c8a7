package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.scriptcast.runs.entity.AuditEntry;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.RunRecord;
import org.scriptcast.runs.entity.RunState;

/**
 * Runs and their events in the database (JPA). Only the {@code LogWriter} writes events.
 *
 * <p>Every method runs in a transaction, reads too: Payara closes a container-managed entity
 * manager used outside a transaction at the end of the "component invocation", and on a managed
 * executor's thread that fails ("Attempting to execute an operation on a closed EntityManager") and
 * corrupts the thread's invocation stack.
 */
@ApplicationScoped
@Transactional
public class RunStore implements StoredEvents {

  /** Blocks fetched by the first query of a read; each next query fetches twice as many. */
  private static final int FIRST_FETCH = 2;

  private static final int MAX_FETCH = 64;

  private static final String INSERT_BLOCK =
      "INSERT INTO scriptcast_event_block (run_id, last_id, first_id, events) VALUES (?, ?, ?, ?)";

  /**
   * Events read back from the database since start, for the metrics. Static: a method of this bean
   * runs in a transaction, and a gauge read once a scrape needs none.
   */
  private static final LongAdder EVENTS_READ = new LongAdder();

  public static long eventsRead() {
    return EVENTS_READ.sum();
  }

  @PersistenceContext(unitName = "scriptcast")
  EntityManager em;

  /**
   * Commits at once, whatever transaction the caller is in (RunLauncher is an EJB): the writer
   * updates this row from another thread as soon as the run is live.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void create(RunRecord record) {
    em.persist(record);
  }

  /** The run's record as it is now, and its events up to that record's {@code lastEventId}. */
  public void save(RunRecord record, List<EventBlock> blocks) {
    save(List.of(record), blocks);
  }

  /** Several runs' records and events at once, in one transaction. */
  public void save(List<RunRecord> records, List<EventBlock> blocks) {
    for (RunRecord record : records) {
      if (record.update(em.createNamedQuery(RunRecord.UPDATE)).executeUpdate() == 0) {
        em.merge(record); // not stored yet: cannot happen for a registered run, harmless anyway
      }
    }
    insert(blocks);
  }

  /**
   * The blocks in one JDBC batch on the transaction's own connection, not through {@code
   * em.persist}: nothing reads a block back in this transaction and the shared cache is off, so
   * EclipseLink's registration of each block and its flush at the commit bought nothing. In
   * profiles of batched runs they took 17 % of the writer's CPU, this batch 13 % (most of it H2's
   * copy of each block in {@code setBytes}); over three A/B series of ten batched 1,000,000-line
   * runs the server's CPU without its JIT was 11 to 21 ms lower per run with it.
   */
  private void insert(List<EventBlock> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    // the connection of this transaction, owned by EclipseLink and the container: not closed here
    Connection connection = em.unwrap(Connection.class);
    try (PreparedStatement insert = connection.prepareStatement(INSERT_BLOCK)) {
      for (EventBlock block : blocks) {
        insert.setString(1, block.runId());
        insert.setLong(2, block.lastId());
        insert.setLong(3, block.firstId());
        insert.setBytes(4, block.events());
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new PersistenceException("Could not store " + blocks.size() + " event blocks", e);
    }
  }

  /** Throws when the database does not answer: for the readiness check. */
  public void ping() {
    em.createNativeQuery("SELECT 1").getSingleResult();
  }

  public Optional<RunRecord> find(String id) {
    return Optional.ofNullable(em.find(RunRecord.class, id));
  }

  /**
   * Runs newest first (run ids sort by creation time), optionally of one script, in one state,
   * created before the run {@code before}, and only of {@code scripts} (null: of any).
   */
  public List<RunRecord> history(
      String script, RunState state, String before, int limit, Set<String> scripts) {
    if (scripts != null && (scripts.isEmpty() || (script != null && !scripts.contains(script)))) {
      return List.of();
    }
    StringBuilder jpql = new StringBuilder("SELECT r FROM RunRecord r WHERE 1 = 1");
    if (script != null) {
      jpql.append(" AND r.script = :script");
    }
    if (state != null) {
      jpql.append(" AND r.state = :state");
    }
    if (before != null) {
      jpql.append(" AND r.id < :before");
    }
    if (scripts != null) {
      jpql.append(" AND r.script IN :scripts");
    }
    TypedQuery<RunRecord> query =
        em.createQuery(jpql.append(" ORDER BY r.id DESC").toString(), RunRecord.class);
    if (script != null) {
      query.setParameter("script", script);
    }
    if (state != null) {
      query.setParameter("state", state.name());
    }
    if (before != null) {
      query.setParameter("before", before);
    }
    if (scripts != null) {
      query.setParameter("scripts", scripts);
    }
    return query.setMaxResults(limit).getResultList();
  }

  @Override
  public EventPage after(String runId, long after, int max) {
    List<EventBlock> blocks = new ArrayList<>();
    long cursor = after;
    for (int fetch = FIRST_FETCH; cursor - after < max; fetch = Math.min(MAX_FETCH, fetch * 2)) {
      List<EventBlock> fetched =
          em.createQuery(
                  // ORDER BY both key columns: with only lastId, H2 (2.4) does not see that the
                  // key's index gives that order, reads every later block of the run and sorts
                  // them, for every page: replaying a 5,000,000-line run took over 10 minutes
                  "SELECT b FROM EventBlock b WHERE b.runId = :run AND b.lastId > :after"
                      + " ORDER BY b.runId, b.lastId",
                  EventBlock.class)
              .setParameter("run", runId)
              .setParameter("after", cursor)
              .setMaxResults(fetch)
              .getResultList();
      blocks.addAll(fetched);
      if (!fetched.isEmpty()) {
        cursor = fetched.get(fetched.size() - 1).lastId();
      }
      if (fetched.size() < fetch) {
        break;
      }
    }
    EventPage page = EventBlocks.page(blocks, after, max);
    EVENTS_READ.add(page.size());
    return page;
  }

  /**
   * Records what a user did with a run, at once (REQUIRES_NEW: whatever the caller's transaction).
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void audit(String runId, String user, AuditEntry.Action action) {
    em.persist(new AuditEntry(runId, System.currentTimeMillis(), user, action));
  }

  /** True when the audit records {@code user} following or polling the run. */
  public boolean hasWatched(String runId, String user) {
    return !em.createQuery(
            "SELECT a.id FROM AuditEntry a WHERE a.runId = :run AND a.user = :user"
                + " AND a.action IN ('FOLLOWED', 'POLLED')",
            String.class)
        .setParameter("run", runId)
        .setParameter("user", user)
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  /** Who did what with a run, oldest first. */
  public List<AuditEntry> audit(String runId) {
    return em.createQuery(
            "SELECT a FROM AuditEntry a WHERE a.runId = :run ORDER BY a.at", AuditEntry.class)
        .setParameter("run", runId)
        .getResultList();
  }

  /** Runs still QUEUED or RUNNING that were created before {@code createdBefore}. */
  public List<RunRecord> unfinished(long createdBefore) {
    return em.createQuery(
            "SELECT r FROM RunRecord r WHERE r.state IN ('QUEUED', 'RUNNING')"
                + " AND r.createdAt < :before",
            RunRecord.class)
        .setParameter("before", createdBefore)
        .getResultList();
  }

  /** Deletes the runs that finished before {@code finishedBefore}, with their events. */
  public int deleteFinishedBefore(long finishedBefore) {
    em.createQuery(
            "DELETE FROM AuditEntry a WHERE a.runId IN"
                + " (SELECT r.id FROM RunRecord r WHERE r.finishedAt < :before)")
        .setParameter("before", finishedBefore)
        .executeUpdate();
    em.createQuery(
            "DELETE FROM EventBlock b WHERE b.runId IN"
                + " (SELECT r.id FROM RunRecord r WHERE r.finishedAt < :before)")
        .setParameter("before", finishedBefore)
        .executeUpdate();
    return em.createQuery("DELETE FROM RunRecord r WHERE r.finishedAt < :before")
        .setParameter("before", finishedBefore)
        .executeUpdate();
  }
}
