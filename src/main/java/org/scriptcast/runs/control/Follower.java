package org.scriptcast.runs.control;

import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.scriptcast.runs.entity.EventType;

/**
 * One SSE client following one run: a cursor over the run's log. It is never pushed to; it is
 * woken, and then reads from its cursor on a sender thread, so a slow client only ever delays
 * itself and never misses an event. While it has nothing to send, or its client takes nothing more
 * ({@link ClientReadiness}), it holds no thread.
 *
 * <p>All writes to the sink happen in {@link #run()}, and {@link #scheduled} lets only one such
 * pass exist at a time: a sink is never written from two threads.
 */
final class Follower implements Runnable {

  /**
   * Bytes per pass: everything ready goes out as one chunk (one write, one flush), up to this much,
   * so that a follower far behind does not keep a sender thread for itself. Each chunk costs the
   * same in Jersey's and Grizzly's write path whatever its size. A batched 1,000,000-line run, four
   * series of ten runs each way, alternated: with 64 KiB, 3,100 to 5,000 socket writes a run and
   * medians of 115, 120, 131 and 97 ms of the sender threads' CPU; with 256 KiB, 930 to 1,600
   * writes and 85, 130, 99 and 89 ms.
   */
  static final int CHUNK_BYTES = 256 * 1024;

  static final long RECONNECT_MILLIS = 2000;

  /** Bytes of an event beyond its text, about: {@code id: N}, {@code event: stdout}, the fields. */
  private static final int EVENT_OVERHEAD = 40;

  /** The same in a batch: the JSON object's members and the time. */
  private static final int BATCH_OVERHEAD = 80;

  /** Events read at once, from memory or from the database. */
  private static final int PAGE_EVENTS = 1024;

  private final RunLog log;
  private final SseEventSink sink;
  private final ClientReadiness client;
  private final Executor senders;
  private final BooleanSupplier othersWaiting;
  private final Followers followers;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable wake = this::wakeFromLog;

  /** Events read but not sent yet: a page may hold more than one pass sends. */
  private EventPage page = EventPage.EMPTY;

  private int next;
  private final boolean batch;

  /** The last event id read; read by the writer too, to keep what this follower has yet to read. */
  private volatile long cursor;

  private final LongSupplier position = () -> cursor;
  private boolean greeted;
  private volatile boolean waiting;
  private volatile boolean keepAliveDue;
  private volatile long lastSent = System.nanoTime();
  private volatile boolean ended;

  /** Set before asking the client, cleared by the client's wake-up: none is lost in between. */
  private volatile boolean stalled;

  /** Since when the client has taken nothing (System.nanoTime), or 0. */
  private volatile long stalledSince;

  private volatile boolean dropDue;

  /** The last step found the client not taking: the client's wake-up starts the next one. */
  private boolean waitsForClient;

  /** The result is sent: the stream closes once the client takes more (nothing is held for it). */
  private boolean finishing;

  /**
   * @param batch output events that are ready together go out as one {@code batch} event
   */
  Follower(
      RunLog log,
      long after,
      boolean batch,
      SseEventSink sink,
      ClientReadiness client,
      Executor senders,
      BooleanSupplier othersWaiting,
      Followers followers) {
    this.log = log;
    this.batch = batch;
    this.cursor = after;
    this.sink = sink;
    this.client = client;
    this.senders = senders;
    this.othersWaiting = othersWaiting;
    this.followers = followers;
    log.addReader(position);
    client.whenReady(this::wakeWhenReady);
  }

  void wake() {
    if (!ended && scheduled.compareAndSet(false, true)) {
      try {
        senders.execute(this);
      } catch (RejectedExecutionException e) {
        end();
      }
    }
  }

  /** Called by the keep-alive clock: a comment goes out if nothing else did for that long. */
  void keepAliveIfIdleSince(long deadline) {
    if (lastSent - deadline < 0) {
      keepAliveDue = true;
      wake();
    }
  }

  /**
   * Called by the keep-alive clock: a client that has taken nothing since {@code deadline} is
   * dropped, as Payara's write timeout dropped it when a sender thread waited for it. A live
   * EventSource reconnects with Last-Event-ID and loses nothing.
   */
  void dropIfStalledSince(long deadline) {
    long since = stalledSince;
    if (since != 0 && since - deadline < 0) {
      dropDue = true;
      wake();
    }
  }

  /**
   * Passes in a row on one sender thread while there is more to send and no other follower waits
   * for a thread. Why: handing each next pass back to the pool woke another sender thread for it
   * while this one went to sleep, two thread switches per 64 KiB chunk for a follower that is
   * behind (most of a batched stream's passes).
   */
  private static final int PASSES_IN_A_ROW = 16;

  @Override
  public void run() {
    waitsForClient = false;
    boolean more = step();
    for (int passes = 1;
        more && !ended && passes < PASSES_IN_A_ROW && !othersWaiting.getAsBoolean();
        passes++) {
      more = step();
    }
    if (ended) {
      return;
    }
    scheduled.set(false);
    if (waitsForClient) {
      if (!stalled) {
        wake(); // the client's wake-up came while this thread still ran, and found it scheduled
      }
    } else if (more || keepAliveDue) {
      wake();
    } else if (!waiting) {
      waiting = true;
      log.awaitAfter(cursor, wake);
    }
  }

  /**
   * A pass if the client takes it; true when there is more to send. The first pass (the greeting)
   * goes without asking: the client's stream exists only once Jersey has sent the headers, and it
   * sends them with the first chunk.
   */
  private boolean step() {
    if (dropDue) {
      end();
      return false;
    }
    if (greeted) {
      stalled = true;
      try {
        if (!client.ready()) {
          if (stalledSince == 0) {
            stalledSince = System.nanoTime();
          }
          waitsForClient = true;
          return false;
        }
      } catch (RuntimeException e) {
        end(); // the client is gone
        return false;
      }
      stalled = false;
      stalledSince = 0;
      if (finishing) {
        end();
        return false;
      }
    }
    return pass();
  }

  /** Sends what is ready, up to a chunk; true when there is more, or the stream is to close. */
  private boolean pass() {
    try {
      // what is ready first, then the chunk: a new one gets about its size (grown by doubling, the
      // chunk made as much garbage again as it held: bench/micro -prof gc, 416 bytes a line)
      boolean complete = log.isComplete(); // first: then last is the result's id if it is
      long last = log.lastEventId();
      List<EventPage> ready = new ArrayList<>(2); // a pass that crosses a segment has two pages
      int bytes = 64;
      int overhead = batch ? BATCH_OVERHEAD : EVENT_OVERHEAD;
      boolean resultRead = false;
      long at = cursor; // one volatile write a pass, not one a line
      while (at < last && bytes < CHUNK_BYTES && !resultRead) {
        if (next == page.size()) {
          page = log.page(at, PAGE_EVENTS);
          next = 0;
          if (page.size() == 0) {
            // the run was deleted under this reader: there is nothing more to send
            end();
            return false;
          }
        }
        int from = next;
        while (next < page.size() && bytes < CHUNK_BYTES && !resultRead) {
          bytes += page.end(next) - page.start(next) + overhead;
          resultRead = page.type(next++) == EventType.RESULT;
        }
        ready.add(page.slice(from, next));
        at = page.id(next - 1);
      }
      EventStreamChunk chunk = chunk(bytes);
      if (!greeted) {
        chunk.retry(RECONNECT_MILLIS);
        greeted = true;
      }
      if (batch) {
        addBatched(chunk, ready);
      } else {
        for (EventPage events : ready) {
          for (int i = 0; i < events.size(); i++) {
            chunk.add(events, i);
          }
        }
      }
      // done with what it read: only now may the log fill those segments again (RunLog#stored)
      cursor = at;
      if (keepAliveDue) {
        keepAliveDue = false;
        if (chunk.size() == 0) {
          chunk.comment("keep-alive");
        }
      }
      if (chunk.size() > 0) {
        send(chunk);
      }
      keep(chunk);
      // closed by the next step, once the client takes: closing now would drop what is held for
      // it. A cursor past a complete log's end (the client resumed after an id that the run never
      // reached: API.md promises 204 only for a run already ended) has no result to read, and
      // would otherwise wait for an event that never comes
      if (resultRead || (complete && at >= last)) {
        finishing = true;
        return true;
      }
      return at < last;
    } catch (RuntimeException e) {
      // a failed send is a client gone: drop it at once (a broken sink never recovers)
      end();
      return false;
    }
  }

  /**
   * Output events that are next to each other as one batch, across pages too; state and result
   * events alone.
   */
  static void addBatched(EventStreamChunk chunk, List<EventPage> pages) {
    for (int p = 0; p < pages.size(); p++) {
      EventPage events = pages.get(p);
      for (int i = 0; i < events.size(); i++) {
        if (!isOutput(events.type(i))) {
          if (chunk.inBatch()) {
            chunk.endBatch();
          }
          chunk.add(events, i);
        } else {
          if (!chunk.inBatch()) {
            chunk.beginBatch(lastOutputId(pages, p, i));
          }
          chunk.addToBatch(events, i);
        }
      }
    }
    if (chunk.inBatch()) {
      chunk.endBatch();
    }
  }

  /** The id of the last output event of those next to each other from page p's event i on. */
  private static long lastOutputId(List<EventPage> pages, int p, int i) {
    long last = pages.get(p).id(i);
    for (; p < pages.size(); p++, i = 0) {
      EventPage events = pages.get(p);
      for (; i < events.size(); i++) {
        if (!isOutput(events.type(i))) {
          return last;
        }
        last = events.id(i);
      }
    }
    return last;
  }

  /**
   * Each sender thread's chunk, filled again on its next pass once the sink has written it. A new
   * chunk per pass was a quarter of all the server allocated in a batched 1,000,000-line run (97
   * bytes a line, async-profiler's allocation profile), and the more the heap is filled, the more
   * often G1 copies what the runs keep (their logs). Only a chunk the sink has written is kept:
   * Jersey queues a chunk sent before the response is set up and writes it later from another
   * thread. Once written, nothing holds the buffer: Grizzly copies what it cannot send at once
   * (TemporaryHeapBuffer.cloneContent in the same profile).
   */
  private static final ThreadLocal<EventStreamChunk> CHUNKS = new ThreadLocal<>();

  /** The largest chunk kept for the next pass: one that a huge line grew is let go. */
  private static final int KEPT_CHUNK_BYTES = 2 * CHUNK_BYTES;

  /** This thread's chunk, emptied, or a new one with room for about {@code bytes}. */
  private static EventStreamChunk chunk(int bytes) {
    EventStreamChunk chunk = CHUNKS.get();
    if (chunk == null) {
      return new EventStreamChunk(bytes); // a thread that sends little keeps a small one
    }
    CHUNKS.set(null); // not remove(): that and the next set() would make a map entry a pass
    return chunk.clear();
  }

  private static void keep(EventStreamChunk chunk) {
    if ((chunk.size() == 0 || chunk.isWritten()) && chunk.capacity() <= KEPT_CHUNK_BYTES) {
      CHUNKS.set(chunk);
    }
  }

  private static boolean isOutput(EventType type) {
    return type == EventType.STDOUT || type == EventType.STDERR;
  }

  private void wakeWhenReady() {
    stalled = false;
    wake();
  }

  private void wakeFromLog() {
    waiting = false;
    wake();
  }

  private void send(EventStreamChunk event) {
    if (sink.isClosed()) {
      throw new IllegalStateException("closed by the client");
    }
    // Jersey writes in this thread and reports a failed write in the returned stage
    if (sink.send(event).toCompletableFuture().isCompletedExceptionally()) {
      throw new IllegalStateException("send failed");
    }
    lastSent = System.nanoTime();
  }

  void end() {
    if (ended) {
      return;
    }
    ended = true;
    log.stopWaiting(wake);
    log.removeReader(position);
    followers.remove(this);
    try {
      sink.close();
    } catch (RuntimeException e) {
      // already gone
    }
  }
}
