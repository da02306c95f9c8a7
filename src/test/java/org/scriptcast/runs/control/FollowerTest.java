package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Lines;
import org.scriptcast.runs.entity.Run;

class FollowerTest {

  private final RunLog log =
      new RunLog(
          new Run("r-1", "test", JsonValue.EMPTY_JSON_OBJECT, "alice", Instant.now()),
          (runId, after, max) -> EventPage.EMPTY);

  /**
   * A sink that writes each chunk at once, or (queueing) keeps it to write later, as Jersey may.
   */
  private static final class Sink implements SseEventSink {
    final List<EventStreamChunk> sent = new ArrayList<>();
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    boolean queueing;

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
      EventStreamChunk chunk = (EventStreamChunk) event;
      sent.add(chunk);
      if (!queueing) {
        write(chunk);
      }
      return CompletableFuture.completedFuture(null);
    }

    void write(EventStreamChunk chunk) {
      try {
        chunk.writeTo(wire);
        wire.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    boolean closed;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A client that takes what it is sent, or not; its wake-up is run by the test. */
  private static final class Client implements ClientReadiness {
    boolean takes = true;
    int asked;

    /** After this many answers it takes nothing more. */
    int takesUntilAsked = Integer.MAX_VALUE;

    /** Runs while the follower asks, as a wake-up from another thread may. */
    Runnable whileAsked = () -> {};

    Runnable wake;

    @Override
    public boolean ready() {
      if (++asked > takesUntilAsked) {
        takes = false;
      }
      whileAsked.run();
      return takes;
    }

    @Override
    public void whenReady(Runnable wake) {
      this.wake = wake;
    }

    void takesAgain() {
      takes = true;
      takesUntilAsked = Integer.MAX_VALUE;
      wake.run();
    }
  }

  private final Client client = new Client();

  private final Sink sink = new Sink();

  /** The sender threads' queue: the test runs what is in it. */
  private final Deque<Runnable> passes = new ArrayDeque<>();

  private final Follower follower =
      new Follower(
          log, 0, false, sink, client, passes::add, () -> !passes.isEmpty(), new Followers());

  private void send() {
    for (Runnable pass = passes.poll(); pass != null; pass = passes.poll()) {
      pass.run();
    }
  }

  /** Three passes: the greeting, then one each for two appends. */
  private void followTwoLines() {
    follower.wake();
    send();
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    send();
    log.append(EventType.STDOUT, Lines.of("b"), 2);
    send();
    assertEquals(3, sink.sent.size());
  }

  @Test
  void aChunkTheSinkHasWrittenIsFilledAgainOnTheNextPass() {
    followTwoLines();
    assertSame(sink.sent.get(0), sink.sent.get(1));
    assertSame(sink.sent.get(1), sink.sent.get(2));
    assertEquals(
        "retry: 2000\n\nid: 1\nevent: stdout\ndata: a\n\nid: 2\nevent: stdout\ndata: b\n\n",
        sink.wire.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aChunkTheSinkHasNotWrittenYetIsNeverFilledAgain() {
    sink.queueing = true; // Jersey before the response is set up: the chunks wait in its queue
    followTwoLines();
    assertNotSame(sink.sent.get(0), sink.sent.get(1));
    assertNotSame(sink.sent.get(1), sink.sent.get(2));
    sink.sent.forEach(sink::write);
    assertEquals(
        "retry: 2000\n\nid: 1\nevent: stdout\ndata: a\n\nid: 2\nevent: stdout\ndata: b\n\n",
        sink.wire.toString(StandardCharsets.UTF_8));
  }

  /** A line of a 64th of a chunk. */
  private static final String LONG_LINE = "x".repeat(Follower.CHUNK_BYTES / 64);

  /** 200 long lines: about four chunks' worth. */
  private void appendLongLines() {
    String[] texts = new String[200];
    java.util.Arrays.fill(texts, LONG_LINE);
    log.append(EventType.STDOUT, Lines.of(texts), 1);
  }

  @Test
  void aFollowerBehindSendsChunkAfterChunkOnOneThreadWhileNoOtherWaits() {
    appendLongLines();
    follower.wake();
    passes.poll().run();
    assertEquals(4, sink.sent.size());
    assertTrue(passes.isEmpty());
    assertTrue(
        sink.wire
            .toString(StandardCharsets.UTF_8)
            .endsWith("id: 200\nevent: stdout\ndata: " + LONG_LINE + "\n\n"));
  }

  @Test
  void aFollowerBehindLetsAWaitingFollowerHaveTheThread() {
    appendLongLines();
    follower.wake();
    Runnable mine = passes.poll();
    Runnable other = () -> {};
    passes.add(other);
    mine.run();
    assertEquals(1, sink.sent.size());
    assertSame(other, passes.poll());
    assertEquals(1, passes.size()); // its next pass, after the other's
    send();
    assertEquals(4, sink.sent.size());
  }

  /**
   * A client that takes nothing more is not sent to (the send would hold a sender thread until the
   * client reads): the follower holds no thread, not even for a keep-alive, and sends everything
   * once the client takes again.
   */
  @Test
  void aClientThatTakesNothingIsNotSentToAndGetsEverythingOnceItTakes() {
    appendLongLines();
    follower.wake();
    send();
    assertEquals(4, sink.sent.size());
    client.takes = false;
    log.append(EventType.STDOUT, Lines.of("late"), 201);
    send();
    follower.keepAliveIfIdleSince(System.nanoTime() + 1);
    send();
    assertEquals(4, sink.sent.size());
    assertTrue(passes.isEmpty(), "no pass waits for a thread");
    client.takesAgain();
    send();
    assertEquals(5, sink.sent.size());
    assertTrue(
        sink.wire
            .toString(StandardCharsets.UTF_8)
            .endsWith("id: 201\nevent: stdout\ndata: late\n\n"));
  }

  /** A wake-up that comes while the pass that found the client stalled still runs is not lost. */
  @Test
  void theClientsWakeUpDuringAPassIsNotLost() {
    follower.wake();
    send();
    client.takes = false;
    client.whileAsked = () -> client.wake.run(); // finds the pass scheduled: schedules nothing
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    passes.poll().run(); // finds the client stalled, then sees the wake-up that came meanwhile
    client.whileAsked = () -> {};
    assertEquals(1, passes.size());
    client.takes = true;
    send();
    assertTrue(sink.wire.toString(StandardCharsets.UTF_8).endsWith("data: a\n\n"));
  }

  /**
   * The stream closes after the result only once the client has taken it: a close before would drop
   * what is still held for the client.
   */
  @Test
  void theStreamClosesAfterTheResultOnlyOnceTheClientTakes() {
    follower.wake();
    send();
    log.end(id -> "{}", "{}", 1);
    client.takesUntilAsked = client.asked + 1; // takes the result, then nothing
    send();
    assertTrue(sink.wire.toString(StandardCharsets.UTF_8).contains("event: result"));
    assertFalse(sink.closed);
    client.takesAgain();
    send();
    assertTrue(sink.closed);
  }

  /**
   * A client that resumed after an id the live run never reaches (it cannot have seen one; a typo
   * in {@code ?after=}) hears that the run ended: its stream closes, empty, instead of waiting for
   * an event that never comes. A request after that gets 204 (the run is complete).
   */
  @Test
  void aFollowerPastTheEndOfALiveRunEndsWhenTheRunDoes() {
    Follower past =
        new Follower(
            log, 100, false, sink, client, passes::add, () -> !passes.isEmpty(), new Followers());
    past.wake();
    send();
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    send();
    assertFalse(sink.closed);
    log.end(id -> "{}", "0", 2); // wakes it: nothing after 100, and nothing ever will be
    send();
    assertTrue(sink.closed);
    String wire = sink.wire.toString(StandardCharsets.UTF_8);
    assertTrue(wire.startsWith("retry:"), wire);
    assertFalse(wire.contains("event:"), wire);
  }

  @Test
  void aClientStalledTooLongIsDroppedAndAnIdleOneIsNot() {
    follower.wake();
    send();
    follower.dropIfStalledSince(System.nanoTime() + 1);
    send();
    assertFalse(sink.closed, "an idle client takes what it is sent: it is not stalled");
    client.takes = false;
    log.append(EventType.STDOUT, Lines.of("a"), 1);
    send();
    follower.dropIfStalledSince(System.nanoTime() - 1_000_000_000L);
    send();
    assertFalse(sink.closed, "stalled for less than that");
    follower.dropIfStalledSince(System.nanoTime() + 1);
    send();
    assertTrue(sink.closed);
  }
}
