package org.scriptcast.runs.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.scriptcast.runs.entity.Lines;

/**
 * Cuts the bytes of one output stream into lines, by the rules of API.md: LF ends a line and a CR
 * right before it goes with it; bytes are decoded as UTF-8 with U+FFFD for invalid sequences; a
 * line longer than {@code maxLineBytes} is cut into pieces between UTF-8 characters; a last line
 * without LF still counts. A line's bytes are checked once, when the line is complete, so a
 * character split over two reads is never damaged. Lines stay bytes: well-formed ones (nearly all)
 * are copied as they are, and only a line with an invalid sequence is decoded and encoded again.
 *
 * <p>Not thread-safe: one splitter per stream.
 */
public final class LineSplitter {

  private final int maxLineBytes;
  private byte[] pending = new byte[256];
  private int pendingLength;

  /** What the bytes of the pending line hold: {@link #CLEAN}, or flags below. */
  private int pendingState = CLEAN;

  /** A line's bytes so far: only printable ASCII without quote and backslash. */
  private static final int CLEAN = 0;

  /** A control character (CR included), quote or backslash: not plain. */
  private static final int SPECIAL = 1;

  /** A byte above 0x7F: the line must be checked as UTF-8. */
  private static final int NON_ASCII = 2;

  /** Not known: the line's bytes are looked at again (after a CR went with its LF). */
  private static final int UNKNOWN = 4;

  /** Texts never cut in two: the run's secrets, which are masked in each piece of a line. */
  private final byte[][] keepWhole;

  public LineSplitter(int maxLineBytes) {
    this(maxLineBytes, List.of());
  }

  /**
   * @param secrets texts that a cut never goes through: a secret cut in two would show in two
   *     pieces, since each piece is masked on its own
   */
  public LineSplitter(int maxLineBytes, List<String> secrets) {
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException("a line must hold at least one UTF-8 character");
    }
    this.maxLineBytes = maxLineBytes;
    this.keepWhole =
        secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  /**
   * Adds the lines completed by these bytes to {@code lines}; keeps the rest for later.
   *
   * <p>One pass, eight bytes at a time: a word without a control character (LF is one), quote,
   * backslash or non-ASCII byte is skipped whole; only the others are looked at byte by byte, for
   * where lines end and what they hold. A line found plain or ASCII that way needs no second look
   * (before, finding line ends and then checking each line read every byte twice).
   */
  public void split(byte[] bytes, int offset, int length, Lines lines) {
    int end = offset + length;
    int start = offset;
    int state = pendingState;
    int i = offset;
    while (i < end) {
      if (i + 8 <= end) {
        long word = Words.at(bytes, i);
        long special = Words.needsEscape(word);
        long nonAscii = Words.nonAscii(word);
        if ((special | nonAscii) == 0) {
          i += 8;
          continue;
        }
        // the word that ends a plain line: nothing special before its LF, so no byte loop (a
        // line's last word went through it, 8 tests a line: 11 % of the pipe reader's samples).
        // Exact: with no high bit set, only a byte that is special itself marks the bytes after it
        long lf = Words.equal(word, (byte) '\n');
        int before = Long.numberOfTrailingZeros(lf) & ~7; // bits below the first LF
        if (nonAscii == 0 && lf != 0 && (special & ((1L << before) - 1)) == 0) {
          i += before >>> 3;
          endLine(bytes, start, i, state, lines);
          start = ++i;
          state = CLEAN;
          continue;
        }
      }
      for (int stop = Math.min(end, i + 8); i < stop; i++) {
        byte b = bytes[i];
        if (b == '\n') {
          endLine(bytes, start, i, state, lines);
          start = i + 1;
          state = CLEAN;
        } else if (b < 0) {
          state |= NON_ASCII;
        } else if (Words.isSpecial(b)) {
          state |= SPECIAL;
        }
      }
    }
    keep(bytes, start, end);
    pendingState = pendingLength == 0 ? CLEAN : state;
    cutLongPending(lines);
  }

  /** The line that the LF at {@code lf} ends: {@code start..lf - 1}, after what is pending. */
  private void endLine(byte[] bytes, int start, int lf, int state, Lines lines) {
    if (pendingLength == 0) {
      emit(bytes, start, lf, true, state, lines);
    } else {
      keep(bytes, start, lf);
      emit(pending, 0, pendingLength, true, state, lines);
      pendingLength = 0;
    }
  }

  /** The end of the stream: what is left is the last line, even without LF. */
  public void finish(Lines lines) {
    if (pendingLength > 0) {
      // no LF follows, so a CR at the very end belongs to the line
      emit(pending, 0, pendingLength, false, pendingState, lines);
      pendingLength = 0;
      pendingState = CLEAN;
    }
  }

  /** A line, cut into pieces if it is too long; {@code state} covers all its bytes. */
  private void emit(byte[] bytes, int from, int to, boolean dropCr, int state, Lines lines) {
    if (dropCr && to > from && bytes[to - 1] == '\r') {
      to--;
      state = UNKNOWN; // the CR made it special: the rest may well be plain (a CRLF script)
    }
    while (to - from > maxLineBytes) {
      int cut = cut(bytes, from, to);
      add(bytes, from, cut, state, lines);
      from = cut;
    }
    add(bytes, from, to, state, lines);
  }

  private static void add(byte[] bytes, int from, int to, int state, Lines lines) {
    // an ASCII line is well-formed UTF-8, and plain if nothing special was seen; else look again
    int check = state == CLEAN ? PLAIN : state == SPECIAL ? WELL_FORMED : check(bytes, from, to);
    if (check != MALFORMED) {
      lines.add(bytes, from, to, check == PLAIN);
    } else {
      byte[] replaced =
          new String(bytes, from, to - from, StandardCharsets.UTF_8)
              .getBytes(StandardCharsets.UTF_8);
      lines.add(replaced, 0, replaced.length);
    }
  }

  /** What {@link #check} finds: see {@link Lines#add(byte[], int, int, boolean)} for plain. */
  static final int PLAIN = 0, WELL_FORMED = 1, MALFORMED = 2;

  /**
   * True when {@code from..to} is well-formed UTF-8 (Unicode, table 3-7): then decoding it with
   * U+FFFD for invalid sequences would give these very bytes back.
   */
  static boolean isWellFormed(byte[] bytes, int from, int to) {
    return check(bytes, from, to) != MALFORMED;
  }

  /**
   * Whether {@code from..to} is well-formed UTF-8, and if so whether it is plain, in one pass over
   * its bytes: for the lines {@link #split} could not settle (non-ASCII, or a CR that went with its
   * LF).
   */
  static int check(byte[] bytes, int from, int to) {
    long special = 0;
    boolean ascii = true;
    int i = from;
    while (i < to) {
      if (i + 8 <= to) {
        long word = Words.at(bytes, i);
        if (Words.nonAscii(word) == 0) {
          special |= Words.needsEscape(word);
          i += 8;
          continue;
        }
      }
      int b = bytes[i];
      if (b >= 0) {
        special |= Words.isSpecial((byte) b) ? 1 : 0;
        i++;
        continue;
      }
      ascii = false;
      b &= 0xFF;
      int length = b < 0xC2 ? 0 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF5 ? 4 : 0;
      if (length == 0 || i + length > to) {
        return MALFORMED;
      }
      // the second byte's range depends on the first: no overlong forms, surrogates or > U+10FFFF
      int second = bytes[i + 1] & 0xFF;
      int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
      int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
      if (second < low || second > high) {
        return MALFORMED;
      }
      for (int k = 2; k < length; k++) {
        if (!isContinuation(bytes[i + k])) {
          return MALFORMED;
        }
      }
      i += length;
    }
    return ascii && special == 0 ? PLAIN : WELL_FORMED;
  }

  /**
   * Emits full pieces of a line still waiting for its LF. A CR in the last place may yet be part of
   * a CRLF, so it does not count towards the line's length.
   */
  private void cutLongPending(Lines lines) {
    while (pendingLength > maxLineBytes
        && !(pendingLength == maxLineBytes + 1 && pending[maxLineBytes] == '\r')) {
      int cut = cut(pending, 0, pendingLength);
      add(pending, 0, cut, pendingState, lines); // the whole pending's state: a safe superset
      System.arraycopy(pending, cut, pending, 0, pendingLength - cut);
      pendingLength -= cut;
    }
  }

  /**
   * Where to end a piece that starts at {@code from}, of bytes known up to {@code end}: at most
   * maxLineBytes, between characters, and before a secret that would run past the cut (only one
   * longer than a piece cannot be kept whole).
   */
  private int cut(byte[] bytes, int from, int end) {
    int cut = from + maxLineBytes;
    int backed = cut;
    while (backed > cut - 3 && isContinuation(bytes[backed])) {
      backed--;
    }
    // after three continuation bytes the sequence is invalid anyway: cut where the limit is
    cut = isContinuation(bytes[backed]) ? cut : backed;
    // the earliest start of all: then no secret runs past the new cut either, unless occurrences
    // of secrets overlap one another
    int earliest = cut;
    for (byte[] secret : keepWhole) {
      earliest = Math.min(earliest, startAcross(bytes, secret, from, cut, end));
    }
    return earliest;
  }

  /**
   * The first place after {@code from} where {@code secret} starts and runs past {@code cut}, as
   * far as the bytes up to {@code end} tell (the rest of a pending line is not read yet); else
   * {@code cut}. A secret starts with a first byte of a character, so a cut there is between
   * characters.
   */
  private static int startAcross(byte[] bytes, byte[] secret, int from, int cut, int end) {
    for (int at = Math.max(from + 1, cut - secret.length + 1); at < cut; at++) {
      int known = Math.min(secret.length, end - at);
      if (Arrays.equals(bytes, at, at + known, secret, 0, known)) {
        return at;
      }
    }
    return cut;
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
