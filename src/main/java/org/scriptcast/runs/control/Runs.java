package org.scriptcast.runs.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunOutput;
import org.scriptcast.runs.entity.RunStateChanged;

/**
 * Every run and its event log. Observes what happens in runs (CDI events from the process side) and
 * appends it to the run's log, which wakes the run's followers.
 *
 * <p>The logs live in memory for now; the durable store replaces the map, not the interface.
 */
@ApplicationScoped
public class Runs {

  private final ConcurrentHashMap<String, RunLog> logs = new ConcurrentHashMap<>();
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

  public RunLog register(Run run) {
    RunLog log = new RunLog(run);
    if (logs.putIfAbsent(run.id(), log) != null) {
      throw new IllegalStateException("run id used twice: " + run.id());
    }
    return log;
  }

  public Optional<RunLog> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(logs.get(id));
  }

  public JsonObject json(RunLog log) {
    return RunJson.of(log.run(), log.lastEventId(), basePath);
  }

  void onOutput(@Observes RunOutput output) {
    RunLog log = logs.get(output.runId());
    if (log != null) {
      log.append(output.stream(), output.lines(), output.time());
    }
  }

  void onStateChanged(@Observes RunStateChanged change) {
    Run run = change.run();
    RunLog log = logs.get(run.id());
    if (log == null) {
      return;
    }
    long now = System.currentTimeMillis();
    log.append(EventType.STATE, id -> RunJson.of(run, id, basePath).toString(), now);
    if (run.state().isFinal()) {
      Integer code = run.exitCode();
      log.append(EventType.RESULT, id -> code == null ? "none" : code.toString(), now);
    }
  }
}
