package org.scriptcast.runs.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStreamOutputTest {

  /**
   * The container's stream as Payara's HTTP layer (Grizzly's OutputBuffer) behaves: a write or a
   * flush that finds the queue over its limit blocks, unless {@code isReady()} said yes before it
   * (for one write, and the flushes right after that write). Here it fails instead of blocking.
   */
  private static final class ContainerStream extends ServletOutputStream {
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    final int limit;
    int queued;
    boolean guaranteed;
    boolean lastWriteGuaranteed;
    WriteListener listener;
    boolean callbackDue;

    ContainerStream(int limit) {
      this.limit = limit;
    }

    @Override
    public boolean isReady() {
      if (guaranteed || queued < limit) {
        guaranteed = true;
        return true;
      }
      callbackDue = true;
      return false;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      this.listener = listener;
      if (isReady()) {
        try {
          listener.onWritePossible();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      lastWriteGuaranteed = guaranteed;
      guaranteed = false;
      wire.write(bytes, offset, length);
      queued += length;
      blocksIfFull("write");
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() {
      blocksIfFull("flush");
    }

    private void blocksIfFull(String what) {
      if (!guaranteed && !lastWriteGuaranteed && queued >= limit) {
        throw new AssertionError("this " + what + " would block the sender thread");
      }
    }

    /** The client reads everything queued. */
    void clientReads() throws IOException {
      queued = 0;
      if (callbackDue) {
        callbackDue = false;
        listener.onWritePossible();
      }
    }
  }

  private final ContainerStream container = new ContainerStream(100);
  private final EventStreamOutput output = new EventStreamOutput();
  private int wakes;

  {
    output.whenReady(() -> wakes++);
  }

  /** What Jersey does for each chunk: the chunk, its delimiter, a flush. */
  private void send(String chunk) throws IOException {
    output.write(chunk.getBytes(StandardCharsets.UTF_8));
    output.write('\n');
    output.flush();
  }

  /** Jersey commits the response and asks for the stream; then the request thread leaves it. */
  private void open() {
    output.bind(container);
    output.dispatched();
  }

  @Test
  void itIsReadyOnlyOnceJerseyHasTheStreamAndTheRequestThreadHasLeftAndWakesTheFollowerEachTime() {
    assertFalse(output.ready());
    output.bind(container);
    assertEquals(1, wakes);
    assertFalse(output.ready(), "a close now would race with Jersey's setup");
    output.dispatched();
    assertEquals(2, wakes);
    assertTrue(output.ready());
  }

  @Test
  void aClientThatTakesNothingNeverBlocksAWriteAndGetsEveryByteInOrderLater() throws IOException {
    open();
    StringBuilder expected = new StringBuilder();
    int chunks = 0;
    while (output.ready()) {
      String chunk = ("chunk " + chunks++ + " ").repeat(5);
      send(chunk);
      expected.append(chunk).append('\n');
    }
    assertTrue(chunks > 1);
    assertTrue(output.held() > 0, "the delimiter after the chunk that filled the queue");
    int wakesBefore = wakes;
    container.clientReads();
    assertEquals(wakesBefore + 1, wakes, "the follower is woken once the client takes");
    assertTrue(output.ready());
    assertEquals(0, output.held());
    send("last");
    expected.append("last\n");
    assertEquals(expected.toString(), container.wire.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aWriteWhileBytesAreHeldIsHeldBehindThem() throws IOException {
    open();
    send("x".repeat(150)); // fills the queue: its delimiter is held
    send("y"); // Jersey's write of a chunk queued before the follower asked
    container.clientReads();
    assertTrue(output.ready());
    assertEquals("x".repeat(150) + "\ny\n", container.wire.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aClientGoneIsReportedToTheFollower() {
    open();
    output.onError(new IOException("connection reset"));
    assertThrows(UncheckedIOException.class, output::ready);
  }
}
