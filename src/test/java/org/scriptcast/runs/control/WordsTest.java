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
}
