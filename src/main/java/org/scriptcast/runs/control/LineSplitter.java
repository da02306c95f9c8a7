package org.scriptcast.runs.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the bytes of one output stream into lines, by the rules of API.md: LF ends a line and a CR
 * right before it goes with it; bytes are decoded as UTF-8 with U+FFFD for invalid sequences; a
 * line longer than {@code maxLineBytes} is cut into pieces between UTF-8 characters; a last line
 * without LF still counts. A line's bytes are decoded once, when the line is complete, so a
 * character split over two reads is never damaged.
 *
 * <p>Not thread-safe: one splitter per stream.
 */
public final class LineSplitter {

  private final int maxLineBytes;
  private byte[] pending = new byte[256];
  private int pendingLength;

  public LineSplitter(int maxLineBytes) {
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException("a line must hold at least one UTF-8 character");
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Adds the lines completed by these bytes to {@code lines}; keeps the rest for later. */
  public void split(byte[] bytes, int offset, int length, List<String> lines) {
    int end = offset + length;
    int start = offset;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        if (pendingLength == 0) {
          emit(bytes, start, i, true, lines);
        } else {
          keep(bytes, start, i);
          emit(pending, 0, pendingLength, true, lines);
          pendingLength = 0;
        }
        start = i + 1;
      }
    }
    keep(bytes, start, end);
    cutLongPending(lines);
  }

  /** The end of the stream: what is left is the last line, even without LF. */
  public void finish(List<String> lines) {
    if (pendingLength > 0) {
      // no LF follows, so a CR at the very end belongs to the line
      emit(pending, 0, pendingLength, false, lines);
      pendingLength = 0;
    }
  }

  private void emit(byte[] bytes, int from, int to, boolean dropCr, List<String> lines) {
    if (dropCr && to > from && bytes[to - 1] == '\r') {
      to--;
    }
    while (to - from > maxLineBytes) {
      int cut = cut(bytes, from);
      lines.add(new String(bytes, from, cut - from, StandardCharsets.UTF_8));
      from = cut;
    }
    lines.add(new String(bytes, from, to - from, StandardCharsets.UTF_8));
  }

  /**
   * Emits full pieces of a line still waiting for its LF. A CR in the last place may yet be part of
   * a CRLF, so it does not count towards the line's length.
   */
  private void cutLongPending(List<String> lines) {
    while (pendingLength > maxLineBytes
        && !(pendingLength == maxLineBytes + 1 && pending[maxLineBytes] == '\r')) {
      int cut = cut(pending, 0);
      lines.add(new String(pending, 0, cut, StandardCharsets.UTF_8));
      System.arraycopy(pending, cut, pending, 0, pendingLength - cut);
      pendingLength -= cut;
    }
  }

  /** Where to end a piece that starts at {@code from}: at most maxLineBytes, between characters. */
  private int cut(byte[] bytes, int from) {
    int cut = from + maxLineBytes;
    int backed = cut;
    while (backed > cut - 3 && isContinuation(bytes[backed])) {
      backed--;
    }
    // after three continuation bytes the sequence is invalid anyway: cut where the limit is
    return isContinuation(bytes[backed]) ? cut : backed;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private void keep(byte[] bytes, int from, int to) {
    int length = to - from;
    if (length == 0) {
      return;
    }
    if (pendingLength + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
    }
    System.arraycopy(bytes, from, pending, pendingLength, length);
    pendingLength += length;
  }
}
