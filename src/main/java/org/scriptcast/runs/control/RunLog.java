package org.scriptcast.runs.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Lines;
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
 * <p>Events are kept in fixed-size segments, so appending never copies old events, and a segment
 * keeps its events as a few arrays (their UTF-8 texts one after the other, their ends, types and
 * times), not as an object per event: a run in memory is a handful of large arrays that the garbage
 * collector copies or marks at once (see {@link Lines} for what an object per line cost). Once
 * events are stored ({@link #stored}), memory keeps only the recent tail of the run: older segments
 * are let go, and a reader that is that far behind reads them from the database ({@link
 * StoredEvents}). A run that is only in the database is a log with nothing in memory ({@link
 * #ofStored}).
 */
public final class RunLog {

  private static final int SEGMENT_BITS = 10;
  private static final int SEGMENT_SIZE = 1 << SEGMENT_BITS;
  private static final int SEGMENT_MASK = SEGMENT_SIZE - 1;

  /** Stored events kept in memory anyway, for followers that are a little behind. */
  static final int TAIL_EVENTS = 8 * SEGMENT_SIZE;

  /** Where each reader that follows this log is: the last event id it has read. */
  private final Set<LongSupplier> readers = ConcurrentHashMap.newKeySet();

  private final Run run;
  private final StoredEvents store;
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  /** Replaced, never changed in place, when more segments are needed. */
  private volatile Segment[] segments = new Segment[8];

  /** How many bytes of text the next segment starts with: what the last one needed; guarded. */
  private int segmentBytes = 1024;

  /** Bytes of output text appended so far: what an event costs in memory, on average. */
  private volatile long textBytes;

  /** Bytes of memory an event costs beyond its text: its type, time and where its text ends. */
  private static final int EVENT_BYTES = 1 + 8 + 4;

  /** How many events are readable: the id of the last one. Written after the events it covers. */
  private volatile long size;

  private volatile boolean complete;

  /** The last event id that is in the database. */
  private volatile long stored;

  /** The first event id still in memory; the ones before it are read from the database. */
  private volatile long floor = 1;

  public RunLog(Run run, StoredEvents store) {
    this.run = run;
    this.store = store;
  }

  /** A run that is only in the database, with {@code lastEventId} events stored. */
  public static RunLog ofStored(Run run, long lastEventId, StoredEvents store) {
    RunLog log = new RunLog(run, store);
    log.size = lastEventId;
    log.stored = lastEventId;
    log.floor = Long.MAX_VALUE;
    log.complete = run.state().isFinal();
    return log;
  }

  public Run run() {
    return run;
  }

  /**
   * Appends one batch of output lines of one stream, numbered in the order given. Nothing is
   * appended after the run's end.
   */
  public int append(EventType type, Lines lines, long time) {
    synchronized (this) {
      if (complete) {
        return 0; // output of a child that outlived its run: the run has ended
      }
      long id = size;
      byte[] bytes = lines.bytes();
      for (int i = 0; i < lines.size(); i++) {
        int start = lines.start(i);
        store(++id, type, time, bytes, start, lines.end(i) - start, lines.isPlain(i));
      }
      if (!lines.isEmpty()) {
        textBytes += lines.end(lines.size() - 1); // one volatile write a batch, not one a line
      }
      size = id;
    }
    wakeWaiters();
    return lines.size();
  }

  /**
   * Appends a state event, whose data depends on its own id (it carries the run's {@code
   * lastEventId}, which is that id).
   */
  public void appendState(LongFunction<String> data, long time) {
    synchronized (this) {
      if (complete) {
        return;
      }
      long id = size + 1;
      store(id, EventType.STATE, time, data.apply(id));
      size = id;
    }
    wakeWaiters();
  }

  /**
   * Appends the final state event and the {@code result} event at once, so that neither a reader
   * nor the writer ever sees the one without the other.
   */
  public void end(LongFunction<String> state, String result, long time) {
    synchronized (this) {
      if (complete) {
        return;
      }
      long id = size + 1;
      store(id, EventType.STATE, time, state.apply(id));
      store(id + 1, EventType.RESULT, time, result);
      complete = true;
      size = id + 1;
    }
    wakeWaiters();
  }

  /**
   * For a run executing on another server: its events are stored up to {@code lastEventId} ({@code
   * ended}: the last one is its result). Readers read them from the database.
   */
  void storedElsewhere(long lastEventId, boolean ended) {
    synchronized (this) {
      if (lastEventId > size) {
        size = lastEventId;
        stored = lastEventId;
      }
      if (ended) {
        complete = true;
      }
    }
    wakeWaiters();
  }

  /** The id of the last event; 0 while there is none. */
  public long lastEventId() {
    return size;
  }

  /** True once the {@code result} event is in: nothing will ever follow. */
  public boolean isComplete() {
    return complete;
  }

  /**
   * Up to {@code max} events after {@code after}, in order: from memory when they are still there,
   * else from the database. Empty when there is nothing after {@code after} yet.
   */
  public List<RunEvent> read(long after, int max) {
    List<RunEvent> events = new ArrayList<>();
    // a reader while it reads: no segment it may read from is filled again meanwhile
    LongSupplier position = () -> after;
    readers.add(position);
    try {
      long cursor = after;
      while (events.size() < max) {
        EventPage page = page(cursor, max - events.size());
        if (page.size() == 0) {
          break;
        }
        for (int i = 0; i < page.size(); i++) {
          events.add(page.event(i));
        }
        cursor = page.id(page.size() - 1);
      }
    } finally {
      readers.remove(position);
    }
    return events;
  }

  /**
   * Up to {@code max} events after {@code after}, in order, as they are kept: from memory (up to
   * the end of one segment) when they are still there, else from the database. Empty when there is
   * nothing after {@code after} yet. The follower's way to read: no object per event.
   */
  EventPage page(long after, int max) {
    long last = size;
    if (after >= last) {
      return EventPage.EMPTY;
    }
    if (after + 1 >= floor) {
      Segment[] current = segments;
      int segment = (int) (after >>> SEGMENT_BITS);
      Segment events = segment < current.length ? current[segment] : null;
      if (events != null) { // else let go meanwhile: it comes from the database
        long firstId = ((long) segment << SEGMENT_BITS) + 1;
        int from = (int) (after + 1 - firstId);
        int to = (int) Math.min(Math.min(SEGMENT_SIZE, last - firstId + 1), (long) from + max);
        return new EventPage(
            firstId, events.types, events.times, events.ends, events.text, from, to);
      }
    }
    return store.after(run.id(), after, max);
  }

  /** The last event id that is in the database. */
  public long storedEventId() {
    return stored;
  }

  /** About how many of this run's events take {@code bytes} of memory. */
  long eventsIn(long bytes) {
    long events = Math.max(1, size);
    return bytes / (textBytes / events + EVENT_BYTES);
  }

  /**
   * A reader that follows this log: segments it has yet to read stay in memory (see stored). Its
   * position is the last event id it is done with: it never reads a segment whose events all come
   * before it again, and it must be registered before it reads.
   */
  void addReader(LongSupplier position) {
    readers.add(position);
  }

  void removeReader(LongSupplier position) {
    readers.remove(position);
  }

  /**
   * Up to {@code max} blocks of the events after {@code after} up to {@code last}, oldest first,
   * which must not be stored yet: the writer stores them, then calls {@link #stored}. Encoded when
   * asked, a transaction's worth at a time: encoded all at once, a pass's blocks (up to 15 MB)
   * lived until its last commit, long enough for G1 to copy them to the old generation.
   */
  List<EventBlock> unstoredBlocks(long after, long last, int max) {
    // new entities every time, from the segments: after a failed transaction the same ones are not
    // persisted again, and what was not stored is encoded again. Unstored events are never let go.
    // Why encoded only now, not at append time: then every line was in memory twice until stored
    // (its segment and its block), and the blocks lived just long enough for G1 to copy them.
    List<EventBlock> blocks = new ArrayList<>();
    for (long at = after; at < last && blocks.size() < max; ) {
      EventPage page = page(at, (int) Math.min(SEGMENT_SIZE, last - at));
      at = page.id(EventBlocks.encode(run.id(), page, 0, max - blocks.size(), blocks) - 1);
    }
    return blocks;
  }

  /**
   * Records that events up to {@code id} are in the database, and lets go of the segments that are
   * stored, older than the tail kept for followers, and read by every follower of this log that is
   * at most {@code keepBehind} events behind. A follower further behind reads from the database.
   *
   * <p>Why: a follower slower than the script (a batched stream to a client that parses JSON falls
   * behind a script at full speed) dropped out of an 8,192-event tail within milliseconds, and then
   * read every event back from the database, decoding it again: a quarter of the server's CPU in a
   * profile of a 5,000,000-line batched run, and the follower never caught up.
   *
   * <p>A log that nobody follows keeps as much, for the follower that is about to come: someone who
   * starts a run and then opens its page. Before, it kept only the tail, and a follower that
   * connected a few milliseconds after the start of a fast script read its first lines from the
   * database, then fell further behind while it did (up to 50,000 events a batched million-line
   * run, a sixth of the sender threads' time).
   */
  void stored(long id, long keepBehind) {
    stored = id;
    // once the run has ended, it soon leaves memory anyway: what is stored goes to the spares
    long lowest = readers.isEmpty() && !complete ? 0 : readersDoneWith();
    long keepFrom =
        Math.min(Math.min(id, size - TAIL_EVENTS), Math.max(lowest, size - keepBehind)) + 1;
    if (keepFrom <= SEGMENT_SIZE) {
      return;
    }
    int release = (int) ((keepFrom - 1) >>> SEGMENT_BITS);
    long newFloor = ((long) release << SEGMENT_BITS) + 1;
    if (newFloor <= floor) {
      return;
    }
    int released;
    Segment[] letGo;
    synchronized (this) {
      // readers look at the floor first, and one that still finds a segment gone falls back
      released = (int) ((floor - 1) >>> SEGMENT_BITS);
      floor = newFloor;
      Segment[] current = segments;
      letGo = Arrays.copyOfRange(current, released, release);
      Arrays.fill(current, released, release, null);
    }
    // Which readers are where only now, after the floor moved: one that registered since the look
    // above reads the new floor, so it never reaches what was let go.
    long done = readersDoneWith();
    for (int i = 0; i < letGo.length; i++) {
      long lastId = (long) (released + i + 1) << SEGMENT_BITS;
      if (letGo[i] != null && lastId <= done) {
        SPARE.give(letGo[i]);
      } // else a reader may still be in it: the garbage collector takes it once none is
    }
  }

  /** The last event id that every reader of this log is done with. */
  private long readersDoneWith() {
    long lowest = size;
    for (LongSupplier reader : readers) {
      lowest = Math.min(lowest, reader.getAsLong());
    }
    return lowest;
  }

  /** The type of the event with this id, which must exist: for the writer, which stores it. */
  EventType type(long id) {
    EventPage page = page(id - 1, 1);
    if (page.size() == 0) {
      throw new IllegalStateException("Run " + run.id() + " has no event " + id);
    }
    return page.type(0);
  }

  /**
   * Runs {@code wake} once an event after {@code id} exists, or once the log is complete (a reader
   * past its end, such as a client that resumed after an id the run never reached, must learn that
   * none ever will): now if so, else at the next append. It may run more than once, and on the
   * appending thread, so it must be quick and idempotent.
   */
  public void awaitAfter(long id, Runnable wake) {
    if (size > id || complete) {
      wake.run();
      return;
    }
    waiters.add(wake);
    // an append between the check and the add did not see this waiter: look again
    if ((size > id || complete) && waiters.remove(wake)) {
      wake.run();
    }
  }

  /** Forgets a wake-up left by a reader that went away. */
  public void stopWaiting(Runnable wake) {
    waiters.remove(wake);
  }

  private void store(long id, EventType type, long time, String data) {
    byte[] text = data.getBytes(StandardCharsets.UTF_8);
    store(id, type, time, text, 0, text.length, false);
  }

  private void store(
      long id, EventType type, long time, byte[] text, int from, int length, boolean plain) {
    long index = id - 1;
    int segment = (int) (index >>> SEGMENT_BITS);
    Segment[] current = segments;
    if (segment == current.length) {
      current = Arrays.copyOf(current, current.length * 2);
      segments = current;
    }
    Segment events = current[segment];
    if (events == null) {
      if (segment > 0 && current[segment - 1] != null) {
        segmentBytes = Math.max(1024, current[segment - 1].used);
      }
      events = SPARE.take(segmentBytes);
      current[segment] = events;
    }
    // plain writes: the volatile write of size that follows publishes them to readers
    events.put((int) (index & SEGMENT_MASK), type, time, text, from, length, plain);
  }

  /** {@link #SEGMENT_SIZE} consecutive events, filled by the writer, read by readers unlocked. */
  private static final class Segment {
    final byte[] types = new byte[SEGMENT_SIZE];
    final long[] times = new long[SEGMENT_SIZE];

    /** Where each event's text ends in {@link #text}; it starts where the one before ends. */
    final int[] ends = new int[SEGMENT_SIZE];

    /**
     * The texts, one after the other. Replaced by a larger copy when full: a reader that holds the
     * old array only reads events that it covers, and the copy has them too. Volatile: a reader may
     * get a copy made after the size it read was published, and only a volatile read makes the
     * copy's contents visible with it.
     */
    volatile byte[] text;

    int used;

    Segment(int textBytes) {
      text = new byte[textBytes];
    }

    /** Memory it takes, about. */
    long bytes() {
      return (long) text.length + SEGMENT_SIZE * EVENT_BYTES;
    }

    void put(
        int index, EventType type, long time, byte[] source, int from, int length, boolean plain) {
      byte[] target = text;
      if (used + length > target.length) {
        target = Arrays.copyOf(target, Math.max(target.length * 2, used + length));
        text = target;
      }
      System.arraycopy(source, from, target, used, length);
      used += length;
      ends[index] = used;
      types[index] = (byte) (type.ordinal() | (plain ? EventPage.PLAIN : 0));
      times[index] = time;
    }
  }

  /**
   * Segments that no reader can reach any more, for the next segment of any run: a run's events no
   * longer make garbage. Why: a follower that is behind keeps segments alive for a while, long
   * enough for G1 to copy them to the old generation, where they died in heaps (a batched
   * 1,000,000-line run: of every 21 MB young collection, 17 MB went to the old generation; it
   * filled the 512 MiB heap and ended in a full collection). A segment is only filled again once
   * every reader of its log is past its last event (see {@link #stored}).
   */
  private static final Spare SPARE = new Spare(Runtime.getRuntime().maxMemory() / 32);

  /** Spare segments, up to some bytes in all; the rest is left to the garbage collector. */
  static final class Spare {
    /** The largest text array kept: a run of long lines does not leave big segments behind. */
    private static final int MAX_TEXT_BYTES = 256 * 1024;

    private final long maxBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long bytes;

    Spare(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** A spare segment, emptied, or a new one with room for about {@code textBytes}. */
    Segment take(int textBytes) {
      Segment segment;
      synchronized (this) {
        segment = segments.pollLast();
        if (segment != null) {
          bytes -= segment.bytes();
        }
      }
      if (segment == null) {
        return new Segment(textBytes);
      }
      segment.used = 0;
      return segment;
    }

    synchronized void give(Segment segment) {
      if (segment.text.length <= MAX_TEXT_BYTES && bytes + segment.bytes() <= maxBytes) {
        segments.addLast(segment);
        bytes += segment.bytes();
      }
    }

    synchronized int size() {
      return segments.size();
    }

    /** Lets go of all spare segments: nothing runs that would take them soon. */
    synchronized void clear() {
      segments.clear();
      bytes = 0;
    }
  }

  /** How many spare segments there are now. */
  static int spareSegments() {
    return SPARE.size();
  }

  /** See {@link #SPARE}: called by the writer when no run is live. */
  static void letGoOfSpareSegments() {
    SPARE.clear();
  }

  private void wakeWaiters() {
    Runnable wake;
    while ((wake = waiters.poll()) != null) {
      wake.run();
    }
  }
}
