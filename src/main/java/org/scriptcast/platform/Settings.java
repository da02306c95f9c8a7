package org.scriptcast.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configuration keys of API.md with their defaults, in one place. MicroProfile Config maps each
 * key to an environment variable too ({@code scriptcast.catalog} is {@code SCRIPTCAST_CATALOG}).
 */
@ApplicationScoped
public class Settings {

  @Inject
  @ConfigProperty(name = "scriptcast.catalog", defaultValue = "server-config/catalog")
  String catalog;

  @Inject
  @ConfigProperty(name = "scriptcast.maxConcurrentRuns", defaultValue = "4")
  int maxConcurrentRuns;

  @Inject
  @ConfigProperty(name = "scriptcast.queueCapacity", defaultValue = "100")
  int queueCapacity;

  @Inject
  @ConfigProperty(name = "scriptcast.killGraceSeconds", defaultValue = "5")
  int killGraceSeconds;

  @Inject
  @ConfigProperty(name = "scriptcast.keepAliveSeconds", defaultValue = "15")
  int keepAliveSeconds;

  @Inject
  @ConfigProperty(name = "scriptcast.maxLineBytes", defaultValue = "1048576")
  int maxLineBytes;

  @Inject
  @ConfigProperty(name = "scriptcast.data", defaultValue = Database.DEFAULT_DATA)
  String data;

  @Inject
  @ConfigProperty(name = "scriptcast.retentionDays", defaultValue = "30")
  int retentionDays;

  @Inject
  @ConfigProperty(name = "scriptcast.senderThreads", defaultValue = "16")
  int senderThreads;

  /** Says once, at start-up, what this server runs with. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
    Logger.getLogger(Settings.class.getName())
        .info(
            () ->
                "scriptcast settings: catalog="
                    + catalog
                    + " maxConcurrentRuns="
                    + maxConcurrentRuns()
                    + " queueCapacity="
                    + queueCapacity()
                    + " killGraceSeconds="
                    + killGraceSeconds()
                    + " keepAliveSeconds="
                    + keepAliveSeconds()
                    + " maxLineBytes="
                    + maxLineBytes()
                    + " data="
                    + data
                    + " retentionDays="
                    + retentionDays()
                    + " senderThreads="
                    + senderThreads());
  }

  public String catalog() {
    return catalog;
  }

  public int maxConcurrentRuns() {
    return Math.max(1, maxConcurrentRuns);
  }

  /** Runs that may wait beyond those executing; 0 refuses every run that cannot start at once. */
  public int queueCapacity() {
    return Math.max(0, queueCapacity);
  }

  /** Between SIGTERM and SIGKILL, when a run is cancelled, times out or the server stops. */
  public int killGraceSeconds() {
    return Math.max(0, killGraceSeconds);
  }

  public int keepAliveSeconds() {
    return Math.max(1, keepAliveSeconds);
  }

  /** The folder of the embedded database and the generated users file. */
  public String data() {
    return data;
  }

  /** Finished runs older than this many days are deleted; 0 keeps none. */
  public int retentionDays() {
    return Math.max(0, retentionDays);
  }

  /** Threads that write to SSE clients; a client holds one only while it has events to send. */
  public int senderThreads() {
    return Math.max(1, senderThreads);
  }

  /** At least 16 bytes, so that a cut between UTF-8 characters always makes progress. */
  public int maxLineBytes() {
    return Math.max(16, maxLineBytes);
  }
}
