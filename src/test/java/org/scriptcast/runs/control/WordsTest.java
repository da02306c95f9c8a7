package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-once scans find what a byte-by-byte loop finds, wherever it is. */
class WordsTest {

  @Test
  void indexOfFindsTheFirstByteWhateverItsNeighboursAndPlace() {
    // bytes around the searched ones: 0x00 and 0x01 next to a match are what a borrow can mark
    byte[] alphabet = {
      '\n', '\r', 0x00, 0x01, 0x0B, 0x7F, (byte) 0x80, (byte) 0x8A, (byte) 0xFF, 'a'
    };
    Random random = new Random(11);
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[random.nextInt(24)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      for (byte b : new byte[] {'\n', '\r'}) {
        assertEquals(naiveIndexOf(bytes, from, b), Words.indexOf(bytes, from, bytes.length, b));
      }
    }
  }

  private static int naiveIndexOf(byte[] bytes, int from, byte b) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return bytes.length;
  }

  /** Every ASCII word: a hit exactly when one of its bytes needs an escape, wherever it is. */
  @Test
  void needsEscapeFindsAnyControlQuoteOrBackslashInAnAsciiWord() {
    // the neighbours of the sought bytes, where a borrow could go wrong
    byte[] alphabet = {0x00, 0x01, 0x1F, 0x20, 0x21, '"', 0x23, 0x5B, '\\', 0x5D, 0x7F, 'a'};
    Random random = new Random(13);
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[8];
      boolean expected = false;
      for (int i = 0; i < 8; i++) {
        bytes[i] = random.nextInt(3) > 0 ? (byte) 'x' : alphabet[random.nextInt(alphabet.length)];
        expected |= bytes[i] < 0x20 || bytes[i] == '"' || bytes[i] == '\\';
      }
      assertEquals(
          expected, Words.needsEscape(Words.at(bytes, 0)) != 0, java.util.Arrays.toString(bytes));
    }
  }
}
