package org.scriptcast.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The servers that share one database, as Payara's Hazelcast sees them. Alone (no Hazelcast, as
 * with {@code --nocluster} or on another server), this is the only server and every message stays
 * here.
 *
 * <p>What crosses servers is small: "run X is stored up to event N" after each write of the
 * executing server, and "cancel run X". The lines themselves go through the shared database, so a
 * follower on another server reads them by id, exactly once and in order, like any reader that fell
 * behind. Received messages become local CDI events ({@link RunStored}, {@link CancelAsked}, {@link
 * ServerLeft}), fired on a managed thread: Hazelcast's own threads carry no application context.
 */
@ApplicationScoped
public class Cluster {

  private static final Logger LOG = Logger.getLogger(Cluster.class.getName());

  @Resource ManagedExecutorService executor;

  @Inject Event<RunStored> stored;
  @Inject Event<CancelAsked> cancels;
  @Inject Event<ServerLeft> departures;

  private HazelcastGrid grid;
  private String server = "single-" + UUID.randomUUID();

  @PostConstruct
  void join() {
    Object instance;
    try {
      instance = new InitialContext().lookup("payara/Hazelcast");
    } catch (NamingException | RuntimeException e) {
      instance = null;
    }
    try {
      if (instance != null && HazelcastGrid.isRunning(instance)) {
        grid = new HazelcastGrid(instance, this);
        server = grid.localServer();
      }
    } catch (LinkageError e) {
      grid = null; // Hazelcast's classes are not visible here: a server of our own
    }
    LOG.info(
        () ->
            grid == null
                ? "scriptcast runs alone (no Hazelcast cluster): server " + server
                : "scriptcast joined the Hazelcast cluster as server "
                    + server
                    + " with "
                    + grid.size()
                    + " member(s)");
  }

  /** Joins at start-up, not at the first run: the log says at once how this server runs. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {}

  /** This server's id, stored with the runs it executes. */
  public String server() {
    return server;
  }

  /** Whether that server is up: this one, or a member of the cluster. */
  public boolean isUp(String other) {
    return server.equals(other) || (grid != null && other != null && grid.isMember(other));
  }

  /** The one survivor that finishes the runs of a server that left: the oldest member. */
  public boolean isOldest() {
    return grid == null || grid.isOldest();
  }

  /** Tells every server, this one included, that a run is stored up to {@code lastEventId}. */
  public void stored(String runId, long lastEventId, boolean ended) {
    if (grid != null && grid.size() > 1) {
      grid.publish("stored " + runId + " " + lastEventId + " " + ended);
    }
    stored.fire(new RunStored(runId, lastEventId, ended));
  }

  /** Asks the server that executes the run to cancel it. */
  public void cancel(String runId, String by) {
    if (grid != null) {
      grid.publish("cancel " + runId + " " + by);
    }
  }

  /** A message from another server. */
  void received(String message) {
    String[] parts = message.split(" ", 4);
    switch (parts[0]) {
      case "stored" ->
          executor.execute(
              () ->
                  stored.fire(
                      new RunStored(
                          parts[1], Long.parseLong(parts[2]), Boolean.parseBoolean(parts[3]))));
      case "cancel" -> {
        String by = message.substring(message.indexOf(' ', "cancel ".length()) + 1);
        executor.execute(() -> cancels.fire(new CancelAsked(parts[1], by)));
      }
      default -> LOG.warning(() -> "Unknown cluster message: " + message);
    }
  }

  void left(String other) {
    executor.execute(() -> departures.fire(new ServerLeft(other)));
  }
}
