package org.scriptcast.runs.control;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of output at a time, as one {@code long}: the tests that the per-line path makes on
 * every byte (where a line ends, is it ASCII, does JSON need an escape) done eight at once, with
 * the bit tricks of "Bit Twiddling Hacks" (determine if a word has a byte less than n). A line of
 * 80 bytes is then ten steps instead of eighty: the splitter's UTF-8 check and the batch encoding's
 * escape scan were its two largest costs in a profile of a batched 1,000,000-line run.
 */
final class Words {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Words() {}

  /** Bytes {@code i..i + 7}, the first in the lowest bits. */
  static long at(byte[] bytes, int i) {
    return (long) LONGS.get(bytes, i);
  }

  /** Non-zero when a byte has its high bit set: not ASCII. */
  static long nonAscii(long word) {
    return word & HIGHS;
  }

  /**
   * The high bit of each byte equal to {@code b} is set, and of none before the first such byte (a
   * borrow may mark bytes after it): {@code Long.numberOfTrailingZeros / 8} is where the first is.
   */
  static long equal(long word, byte b) {
    return below(word ^ (ONES * (b & 0xFF)), 1);
  }

  /**
   * True for the byte that {@link #needsEscape} looks for: a control character, quote, backslash.
   */
  static boolean isSpecial(byte b) {
    return (b >= 0 && b < 0x20) || b == '"' || b == '\\';
  }

  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';

  /**
   * Non-zero when a word of ASCII bytes (no high bit set: see {@link #nonAscii}) has a byte that
   * JSON must escape (a control character, quote or backslash) or that SSE must split at (CR, a
   * control character too); for other words, anything. Only whether there is one: with no high bit
   * set, a subtraction borrows into the next byte only from a byte that is a hit itself, so none of
   * the {@code ~word} masks of {@link #below} and {@link #equal} is needed (8 operations instead of
   * 13: the splitter does this for every word of output).
   */
  static long needsEscape(long word) {
    return ((word - ONES * 0x20) | ((word ^ QUOTES) - ONES) | ((word ^ BACKSLASHES) - ONES))
        & HIGHS;
  }

  /** Non-zero when an ASCII byte is less than {@code n} (at most 128). */
  static long below(long word, int n) {
    return (word - ONES * n) & ~word & HIGHS;
  }

  /** The index of the first {@code b} in {@code from..to - 1}, or {@code to} when there is none. */
  static int indexOf(byte[] bytes, int from, int to, byte b) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long found = equal(at(bytes, i), b);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return to;
  }
}
