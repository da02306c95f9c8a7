package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.scriptcast.cluster.Cluster;
import org.scriptcast.cluster.RunStored;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunOutput;
import org.scriptcast.runs.entity.RunRecord;
import org.scriptcast.runs.entity.RunState;
import org.scriptcast.runs.entity.RunStateChanged;

/**
 * Every run: the live ones in memory, each with its event log, and all of them in the database.
 * Observes what happens in runs (CDI events from the process side) and appends it to the run's log,
 * which wakes the run's followers; the {@link LogWriter} stores it in the background.
 */
@ApplicationScoped
public class Runs {

  @Inject RunStore store;
  @Inject RunQueue queue;
  @Inject Cluster cluster;

  /** Runs whose events are not all stored yet, and those still executing. */
  private final ConcurrentHashMap<String, RunLog> live = new ConcurrentHashMap<>();

  /**
   * Runs executing on another server that someone here follows: logs over the database that grow as
   * that server reports what it stored ({@link RunStored}).
   */
  private final ConcurrentHashMap<String, RunLog> elsewhere = new ConcurrentHashMap<>();

  private final SecureRandom random = new SecureRandom();

  /** The context path, taken once: worker threads cannot ask a ServletContext proxy. */
  private volatile String basePath = "";

  void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    basePath = context.getContextPath();
  }

  /**
   * A new run id: creation time first, so ids sort as runs were created, then 32 random bits so
   * that ids made in the same millisecond (or on another server) do not meet.
   */
  public String newId() {
    return String.format("r-%011x%08x", System.currentTimeMillis(), random.nextInt());
  }

  /** A new run: stored at once, so that a run that was answered 201 survives any crash. */
  public RunLog register(Run run) {
    store.create(RunRecord.of(run, 0, false, cluster.server()));
    RunLog log = new RunLog(run, store);
    live.put(run.id(), log);
    return log;
  }

  /** The run's log: the live one, or one over the database for a run that has ended. */
  public Optional<RunLog> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    RunLog log = live.get(id);
    if (log != null) {
      return Optional.of(log);
    }
    return store
        .find(id)
        .map(record -> RunLog.ofStored(record.toRun(), record.lastEventId(), store));
  }

  /**
   * The log for a reader that waits for more. A run that is neither live here nor ended executes on
   * another server: its readers share one log here, which grows with that server's reports.
   */
  public RunLog followable(RunLog log) {
    String id = log.run().id();
    RunLog mine = live.get(id);
    if (mine != null || log.isComplete()) {
      return mine != null ? mine : log;
    }
    RunLog shared = elsewhere.computeIfAbsent(id, key -> log);
    // a report may have come between reading the record and sharing the log: read it again
    store
        .find(id)
        .ifPresent(
            record -> shared.storedElsewhere(record.lastEventId(), record.state().isFinal()));
    if (shared.isComplete()) {
      elsewhere.remove(id, shared);
    }
    return shared;
  }

  void onStoredElsewhere(@Observes RunStored report) {
    RunLog log = elsewhere.get(report.runId());
    if (log != null) {
      log.storedElsewhere(report.lastEventId(), report.ended());
      if (report.ended()) {
        elsewhere.remove(report.runId(), log);
      }
    }
  }

  /** Runs newest first, as stored (a live run's record trails it by the writer's interval). */
  /**
   * @param scripts the scripts whose runs may be shown; null for all
   */
  public List<JsonObject> history(
      String script, RunState state, String before, int limit, Set<String> scripts) {
    return store.history(script, state, before, limit, scripts).stream()
        .map(record -> RunJson.of(record.toRun(), record.lastEventId(), basePath))
        .toList();
  }

  public JsonObject json(RunLog log) {
    Run run = log.run();
    return RunJson.of(run, log.lastEventId(), basePath, queuePosition(run));
  }

  private int queuePosition(Run run) {
    return run.state() == RunState.QUEUED ? queue.position(run.id()) : 0;
  }

  Collection<RunLog> live() {
    return live.values();
  }

  public boolean isLive(String id) {
    return live.containsKey(id);
  }

  /** The run, while it is live on this server. */
  public Optional<Run> liveRun(String id) {
    return Optional.ofNullable(live.get(id)).map(RunLog::run);
  }

  /** A run that has ended and is stored to its last event: from now on it is read from there. */
  void retire(RunLog log) {
    live.remove(log.run().id(), log);
  }

  String basePath() {
    return basePath;
  }

  /**
   * Events appended but not yet stored, over all runs, and the most there may be: beyond it the
   * process side waits for the writer (300,000 events of 80-byte lines take about 50 MB). A
   * database slower than the scripts then slows the scripts, through their pipes, instead of
   * filling the heap; clients never do. Measured: a 1,000,000 limit made no run faster.
   */
  static final long MAX_UNSTORED = 300_000;

  private final Object room = new Object();
  private long unstored;

  /** Counts since start, for the metrics: one add per batch of lines, not per line. */
  private final LongAdder linesRead = new LongAdder();

  private final LongAdder eventsAppended = new LongAdder();
  private final LongAdder eventsStored = new LongAdder();

  public long linesRead() {
    return linesRead.sum();
  }

  public long eventsAppended() {
    return eventsAppended.sum();
  }

  public long eventsStored() {
    return eventsStored.sum();
  }

  void onOutput(@Observes RunOutput output) {
    RunLog log = live.get(output.runId());
    if (log != null) {
      awaitRoom();
      int lines = log.append(output.stream(), output.lines(), output.time());
      linesRead.add(lines);
      added(lines);
    }
  }

  private void awaitRoom() {
    synchronized (room) {
      while (unstored > MAX_UNSTORED) {
        try {
          room.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void added(long events) {
    eventsAppended.add(events);
    synchronized (room) {
      unstored += events;
    }
  }

  /** Called by the writer: that many events are stored now. */
  void stored(long events) {
    eventsStored.add(events);
    synchronized (room) {
      unstored = Math.max(0, unstored - events);
      room.notifyAll();
    }
  }

  void onStateChanged(@Observes RunStateChanged change) {
    Run run = change.run();
    RunJournal.stateChanged(run);
    RunLog log = live.get(run.id());
    if (log == null) {
      return;
    }
    long now = System.currentTimeMillis();
    if (run.state().isFinal()) {
      Integer code = run.exitCode();
      log.end(state(run), code == null ? "none" : code.toString(), now);
      added(2);
    } else {
      log.appendState(state(run), now);
      added(1);
    }
  }

  /** The data of a state event: the run object, whose {@code lastEventId} is the event's own id. */
  LongFunction<String> state(Run run) {
    int position = queuePosition(run);
    return id -> RunJson.of(run, id, basePath, position).toString();
  }
}
