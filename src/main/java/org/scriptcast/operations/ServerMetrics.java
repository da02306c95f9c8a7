package org.scriptcast.operations;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.scriptcast.runs.control.Followers;
import org.scriptcast.runs.control.RunQueue;
import org.scriptcast.runs.control.RunStore;
import org.scriptcast.runs.control.Runs;

/**
 * MicroProfile Metrics, served by Payara at {@code /metrics}: gauges over counts the application
 * keeps anyway, so that nothing is added to the per-line path. The lines-per-second figure is the
 * count of the last whole second, sampled once a second.
 */
@ApplicationScoped
public class ServerMetrics {

  @Inject MetricRegistry registry;
  @Inject Runs runs;
  @Inject RunQueue queue;
  @Inject Followers followers;

  @Resource ManagedScheduledExecutorService clock;

  private volatile long linesLastSecond;
  private long linesBefore;
  private ScheduledFuture<?> sampler;

  void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
    gauge("scriptcast.runs.active", "Runs executing on this server", queue::executing);
    gauge("scriptcast.runs.queued", "Runs waiting for a place on this server", queue::waiting);
    gauge("scriptcast.followers", "Event streams connected to this server", followers::connected);
    gauge("scriptcast.lines.read", "Output lines read from scripts since start", runs::linesRead);
    gauge(
        "scriptcast.lines.read.per.second",
        "Output lines read in the last second",
        () -> linesLastSecond);
    gauge(
        "scriptcast.events.appended",
        "Events appended to run logs since start",
        runs::eventsAppended);
    gauge(
        "scriptcast.events.stored",
        "Events written to the database since start",
        runs::eventsStored);
    gauge(
        "scriptcast.events.read.from.database",
        "Events read back from the database since start: by followers of finished runs, and by"
            + " followers further behind a live run than memory keeps",
        RunStore::eventsRead);
    sampler = clock.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  private void sample() {
    long lines = runs.linesRead();
    linesLastSecond = lines - linesBefore;
    linesBefore = lines;
  }

  private void gauge(String name, String description, Supplier<Number> value) {
    Metadata metadata =
        Metadata.builder()
            .withName(name)
            .withDescription(description)
            .withUnit(MetricUnits.NONE)
            .build();
    registry.gauge(metadata, value);
  }

  @PreDestroy
  void stop() {
    if (sampler != null) {
      sampler.cancel(false);
    }
  }
}
