package org.scriptcast.runs.control;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongFunction;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunEvent;

/**
 * The append-only event log of one run, and the one place where its events are numbered.
 *
 * <p>Writers (the two pipe readers and the state changes) append under the log's lock, once per
 * batch of lines. Readers never lock: they read {@link #lastEventId()} (a volatile publish of the
 * count) and then any event up to it. A reader that has caught up leaves a wake-up with {@link
 * #awaitAfter}; the next append runs it. Every reader is a cursor: "what comes after id N, and wake
 * me when there is more".
 *
 * <p>Events are kept in fixed-size segments, so appending never copies old events.
 */
public final class RunLog {

  private static final int SEGMENT_BITS = 10;
  private static final int SEGMENT_SIZE = 1 << SEGMENT_BITS;
  private static final int SEGMENT_MASK = SEGMENT_SIZE - 1;

  private final Run run;
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  /** Replaced, never changed in place, when more segments are needed. */
  private volatile RunEvent[][] segments = new RunEvent[8][];

  /** How many events are readable: the id of the last one. Written after the events it covers. */
  private volatile long size;

  private volatile boolean complete;

  public RunLog(Run run) {
    this.run = run;
  }

  public Run run() {
    return run;
  }

  /** Appends one batch of output lines of one stream, numbered in the order given. */
  public void append(EventType type, List<String> lines, long time) {
    synchronized (this) {
      long id = size;
      for (String line : lines) {
        store(new RunEvent(++id, type, line, time));
      }
      size = id;
    }
    wakeWaiters();
  }

  /**
   * Appends one event whose data depends on its own id (a state event carries the run's {@code
   * lastEventId}, which is that id).
   */
  public RunEvent append(EventType type, LongFunction<String> data, long time) {
    RunEvent event;
    synchronized (this) {
      long id = size + 1;
      event = new RunEvent(id, type, data.apply(id), time);
      store(event);
      if (type == EventType.RESULT) {
        complete = true;
      }
      size = id;
    }
    wakeWaiters();
    return event;
  }

  /** The id of the last event; 0 while there is none. */
  public long lastEventId() {
    return size;
  }

  /** True once the {@code result} event is in: nothing will ever follow. */
  public boolean isComplete() {
    return complete;
  }

  /** The event with this id, for {@code 1 <= id <= lastEventId()}. */
  public RunEvent get(long id) {
    long index = id - 1;
    return segments[(int) (index >>> SEGMENT_BITS)][(int) (index & SEGMENT_MASK)];
  }

  /**
   * Runs {@code wake} once an event after {@code id} exists: now if one does, else at the next
   * append. It may run more than once, and on the appending thread, so it must be quick and
   * idempotent.
   */
  public void awaitAfter(long id, Runnable wake) {
    if (size > id) {
      wake.run();
      return;
    }
    waiters.add(wake);
    // an append between the check and the add did not see this waiter: look again
    if (size > id && waiters.remove(wake)) {
      wake.run();
    }
  }

  /** Forgets a wake-up left by a reader that went away. */
  public void stopWaiting(Runnable wake) {
    waiters.remove(wake);
  }

  private void store(RunEvent event) {
    long index = event.id() - 1;
    int segment = (int) (index >>> SEGMENT_BITS);
    RunEvent[][] current = segments;
    if (segment == current.length) {
      current = Arrays.copyOf(current, current.length * 2);
      segments = current;
    }
    if (current[segment] == null) {
      current[segment] = new RunEvent[SEGMENT_SIZE];
    }
    // a plain write: the volatile write of size that follows publishes it to readers
    current[segment][(int) (index & SEGMENT_MASK)] = event;
  }

  private void wakeWaiters() {
    Runnable wake;
    while ((wake = waiters.poll()) != null) {
      wake.run();
    }
  }
}
