package org.scriptcast.runs.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.scriptcast.platform.Settings;

/**
 * Every live SSE follower, the sender threads they write on, and the keep-alive clock. A keep-alive
 * comment is also how a client that left silently is found: its next write fails.
 */
@ApplicationScoped
public class Followers {

  /** Bounded, separate from the runs' threads: clients never take a script's thread. */
  @Resource(lookup = "concurrent/scriptcast-followers")
  ManagedExecutorService senders;

  @Resource ManagedScheduledExecutorService clock;

  @Inject Settings settings;

  private final Set<Follower> live = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> keepAlive;

  @PostConstruct
  void startClock() {
    keepAlive = clock.scheduleWithFixedDelay(this::keepAlive, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Sends the events of {@code log} after id {@code after} to {@code sink}, then the live ones; in
   * {@code batch} form, output events that are ready together go as one {@code batch} event.
   */
  public void follow(RunLog log, long after, boolean batch, SseEventSink sink) {
    Follower follower = new Follower(log, after, batch, sink, senders, this);
    live.add(follower);
    follower.wake();
  }

  /** Event streams connected now. */
  public int connected() {
    return live.size();
  }

  void remove(Follower follower) {
    live.remove(follower);
  }

  private void keepAlive() {
    long deadline = System.nanoTime() - TimeUnit.SECONDS.toNanos(settings.keepAliveSeconds());
    for (Follower follower : live) {
      follower.keepAliveIfIdleSince(deadline);
    }
  }

  @PreDestroy
  void stop() {
    keepAlive.cancel(false);
    live.forEach(Follower::end);
  }
}
