package org.scriptcast.runs.boundary;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.logging.Logger;
import org.scriptcast.runs.control.ClientReadiness;

/**
 * An event stream's output that never makes its writer wait for the client: the servlet's stream in
 * non-blocking mode, written only right after it said it was ready.
 *
 * <p>The trap it exists for: Jersey writes each chunk, then its delimiter, then flushes, and
 * Payara's HTTP layer (Grizzly) blocks any write or flush that finds more than its queue limit
 * waiting for the client, unless {@code isReady()} said yes just before (that answer covers one
 * write, and a flush right after it). Checking once before a chunk is not enough: the delimiter and
 * the flush came after the chunk had filled the queue, and blocked (a thread dump showed six sender
 * threads parked there with six stalled clients). So every write here asks first, and what the
 * client cannot take now is held here (a few bytes: the follower sends no more chunk until {@link
 * #ready}) and written first once it can.
 */
final class EventStreamOutput extends ServletOutputStream
    implements ClientReadiness, WriteListener {

  private static final Logger LOG = Logger.getLogger(EventStreamOutput.class.getName());

  /** The container's stream, once Jersey has committed the response. */
  private ServletOutputStream out;

  /**
   * Jersey has set up the response and the request thread has left it. Until then a follower only
   * queues its first chunk: a close of the sink while Jersey's setup wrote the queue raced with it
   * (Jersey then failed "Response is closed" and the client got an empty stream; seen once in CI,
   * for a run that had ended before its follower came).
   */
  private boolean dispatched;

  /** The container gave no non-blocking mode: every write may block, as Jersey's do. */
  private boolean blocking;

  /** Bytes the client could not take when they were written, in order, written before any other. */
  private byte[] held = new byte[64];

  private int heldSize;

  /** A flush was asked for while the client took nothing: it is done once the client takes. */
  private boolean flushOwed;

  private volatile IOException failure;
  private volatile Runnable wake = () -> {};

  /** Called once Jersey has set the response's headers and asks for its stream. */
  synchronized void bind(ServletOutputStream out) {
    if (this.out != null) {
      return;
    }
    this.out = out;
    try {
      out.setWriteListener(this); // calls onWritePossible at once when the client takes writes
    } catch (IllegalStateException e) {
      // the request is not asynchronous: cannot happen for Jersey's event sinks, but never hang
      blocking = true;
      LOG.warning(
          "event stream without non-blocking output, a stalled client holds a thread: " + e);
      wake.run();
    }
  }

  /** Called once the request thread has left Jersey: the follower may go on. */
  void dispatched() {
    synchronized (this) {
      dispatched = true;
    }
    wake.run();
  }

  @Override
  public void whenReady(Runnable wake) {
    this.wake = wake;
  }

  /**
   * True when the client takes a write now. Writes what was held first. False before Jersey has
   * committed the response and the request thread has left it: the follower waits, and binding the
   * stream or the request's end wakes it.
   */
  @Override
  public synchronized boolean ready() {
    IOException gone = failure;
    if (gone != null) {
      throw new UncheckedIOException(gone);
    }
    if (out == null || !dispatched) {
      return false;
    }
    if (blocking) {
      return true;
    }
    try {
      if (heldSize > 0 || flushOwed) {
        if (!out.isReady()) {
          return false;
        }
        if (heldSize > 0) {
          out.write(held, 0, heldSize);
          heldSize = 0;
        }
        out.flush(); // cannot block: right after isReady(), or after the write it allowed
        flushOwed = false;
      }
      return out.isReady();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    if (passesOn()) {
      out.write(bytes, offset, length);
    } else {
      hold(bytes, offset, length);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (passesOn()) {
      out.flush();
    } else {
      flushOwed = true;
    }
  }

  /** Jersey never closes it; the container closes the response when the sink is closed. */
  @Override
  public void close() throws IOException {
    flush();
  }

  /** True when a write or flush goes to the container now: nothing is held, and it may. */
  private boolean passesOn() {
    return heldSize == 0 && (blocking || out.isReady());
  }

  private void hold(byte[] bytes, int offset, int length) {
    if (held.length - heldSize < length) {
      held = Arrays.copyOf(held, Math.max(held.length * 2, heldSize + length));
    }
    System.arraycopy(bytes, offset, held, heldSize, length);
    heldSize += length;
  }

  /** Bytes written while the client took none, not yet passed on to the container. */
  synchronized int held() {
    return heldSize;
  }

  @Override
  public void onWritePossible() {
    wake.run();
  }

  @Override
  public void onError(Throwable t) {
    failure = t instanceof IOException e ? e : new IOException(t);
    wake.run();
  }

  @Override
  public boolean isReady() {
    return ready();
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    throw new IllegalStateException("an event stream's output has its own write listener");
  }
}
