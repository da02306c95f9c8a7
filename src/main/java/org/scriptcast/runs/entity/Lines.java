package org.scriptcast.runs.entity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines as well-formed UTF-8, one after the other in one array: what one read of a pipe completed.
 * Why not a list of Strings: a String per line, kept in memory until every follower has read it,
 * was the most of what the garbage collector had to copy and mark (a third of the server's CPU in a
 * 5,000,000-line batched run); as bytes, lines go from the pipe to the log, the database and the
 * socket without one object each.
 *
 * <p>Not thread-safe; the pipe reader that fills it reuses it for its next read.
 */
public final class Lines {

  private byte[] bytes;
  private int[] ends;

  /** Per line: true when its text is plain (see {@link #add(byte[], int, int, boolean)}). */
  private boolean[] plain;

  private int count;

  public Lines() {
    this(8 * 1024, 64);
  }

  private Lines(int bytes, int lines) {
    this.bytes = new byte[bytes];
    this.ends = new int[lines];
    this.plain = new boolean[lines];
  }

  /** Lines of these texts, in order. */
  public static Lines of(String... texts) {
    Lines lines = new Lines(64, Math.max(1, texts.length));
    for (String text : texts) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      lines.add(utf8, 0, utf8.length);
    }
    return lines;
  }

  /** Adds a line: {@code from..to} of {@code source}, which must be well-formed UTF-8. */
  public void add(byte[] source, int from, int to) {
    add(source, from, to, false);
  }

  /**
   * Adds a line, {@code plain} when the one who checked its bytes found only printable ASCII and
   * neither quote nor backslash: then it goes into JSON and SSE as it is, and nobody looks at its
   * bytes again. False is always safe.
   */
  public void add(byte[] source, int from, int to, boolean plain) {
    int start = end();
    int length = to - from;
    if (start + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, start + length));
    }
    if (count == ends.length) {
      ends = Arrays.copyOf(ends, count * 2);
      this.plain = Arrays.copyOf(this.plain, count * 2);
    }
    this.plain[count] = plain;
    System.arraycopy(source, from, bytes, start, length);
    ends[count++] = start + length;
  }

  public void clear() {
    count = 0;
  }

  public int size() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** The array that holds every line; line {@code i} is {@code start(i)..end(i)} of it. */
  public byte[] bytes() {
    return bytes;
  }

  public int start(int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  public int end(int i) {
    return ends[i];
  }

  /** True when line {@code i} was added as plain. */
  public boolean isPlain(int i) {
    return plain[i];
  }

  /** The text of line {@code i}. */
  public String text(int i) {
    return new String(bytes, start(i), end(i) - start(i), StandardCharsets.UTF_8);
  }

  private int end() {
    return count == 0 ? 0 : ends[count - 1];
  }
}
