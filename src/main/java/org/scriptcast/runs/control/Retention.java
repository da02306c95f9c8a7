package org.scriptcast.runs.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.platform.Settings;

/**
 * Deletes finished runs older than {@code scriptcast.retentionDays}, with their events: at start-up
 * and then every hour.
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class.getName());

  @Inject RunStore store;
  @Inject Settings settings;

  @Resource ManagedScheduledExecutorService clock;

  private ScheduledFuture<?> task;

  void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
    task = clock.scheduleAtFixedRate(this::deleteOldRuns, 0, 1, TimeUnit.HOURS);
  }

  void deleteOldRuns() {
    long before = System.currentTimeMillis() - Duration.ofDays(settings.retentionDays()).toMillis();
    try {
      int deleted = store.deleteFinishedBefore(before);
      if (deleted > 0) {
        LOG.info(
            () ->
                deleted
                    + " runs older than "
                    + settings.retentionDays()
                    + " days were deleted with their events");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not delete old runs; trying again in an hour", e);
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
