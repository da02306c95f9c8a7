package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void close() {}
  }

  private final Sink sink = new Sink();

  /** The sender threads' queue: the test runs what is in it. */
  private final Deque<Runnable> passes = new ArrayDeque<>();

  private final Follower follower =
      new Follower(log, 0, false, sink, passes::add, () -> !passes.isEmpty(), new Followers());

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
}
