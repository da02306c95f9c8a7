package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scriptcast.runs.entity.Lines;

class LineSplitterTest {

  private static List<String> split(int max, byte[]... reads) {
    LineSplitter splitter = new LineSplitter(max);
    Lines lines = new Lines();
    for (byte[] read : reads) {
      splitter.split(read, 0, read.length, lines);
    }
    splitter.finish(lines);
    return texts(lines);
  }

  private static List<String> texts(Lines lines) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      texts.add(lines.text(i));
    }
    return texts;
  }

  private static List<String> split(String text) {
    return split(1024, bytes(text));
  }

  /** The lines of the bytes, found the plain way: a byte at a time, each decoded alone. */
  private static List<String> linesOf(byte[] all) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
        lines.add(new String(all, start, end - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < all.length) {
      lines.add(new String(all, start, all.length - start, StandardCharsets.UTF_8));
    }
    return lines;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds the bytes one at a time: every rule must hold whatever the pipe's read sizes. */
  private static List<String> splitByteByByte(int max, byte[] all) {
    byte[][] reads = new byte[all.length][];
    for (int i = 0; i < all.length; i++) {
      reads[i] = new byte[] {all[i]};
    }
    return split(max, reads);
  }

  @Test
  void lfEndsALine() {
    assertEquals(List.of("one", "two"), split("one\ntwo\n"));
  }

  @Test
  void crBeforeLfIsPartOfTheLineEnd() {
    assertEquals(List.of("one", "two"), split("one\r\ntwo\r\n"));
  }

  @Test
  void crlfSplitOverTwoReadsIsStillOneLineEnd() {
    assertEquals(List.of("one", "two"), split(1024, bytes("one\r"), bytes("\ntwo\n")));
  }

  @Test
  void crInsideALineIsKept() {
    assertEquals(List.of("10%\r50%\r100%"), split("10%\r50%\r100%\n"));
  }

  @Test
  void aLastLineWithoutLfIsStillALine() {
    assertEquals(List.of("one", "last"), split("one\nlast"));
  }

  @Test
  void aCrAtTheVeryEndBelongsToTheLastLine() {
    assertEquals(List.of("last\r"), split("last\r"));
  }

  @Test
  void noOutputIsNoLine() {
    assertEquals(List.of(), split(""));
  }

  @Test
  void emptyLinesAreLines() {
    assertEquals(List.of("", "a", "", ""), split("\na\n\n\r\n"));
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    byte[] input = {'a', (byte) 0xff, 'b', (byte) 0xc3, '\n', (byte) 0xe2, (byte) 0x82, '\n'};
    List<String> lines = split(1024, input);
    assertEquals(List.of("a\uFFFDb\uFFFD", "\uFFFD"), lines);
  }

  @Test
  void aCharacterSplitOverTwoReadsIsDecodedWhole() {
    byte[] euro = bytes("€\n"); // E2 82 AC 0A
    assertEquals(
        List.of("€"),
        split(1024, new byte[] {euro[0]}, new byte[] {euro[1], euro[2]}, new byte[] {euro[3]}));
  }

  @Test
  void aLongLineIsCutIntoPiecesOfAtMostTheLimit() {
    assertEquals(
        List.of("abcdefghij", "klmnopqrst", "uvw"), split(10, bytes("abcdefghijklmnopqrstuvw\n")));
  }

  @Test
  void aLineOfExactlyTheLimitIsOneEvent() {
    assertEquals(List.of("abcdefghij", "x"), split(10, bytes("abcdefghij\r\nx\n")));
    assertEquals(List.of("abcdefghij"), splitByteByByte(10, bytes("abcdefghij\r\n")));
  }

  @Test
  void aLongLineIsCutBetweenCharacters() {
    // 'aaaaaaaa' + '€' (3 bytes) crosses the 10-byte limit inside the euro sign
    List<String> lines = split(10, bytes("aaaaaaaa€bb\n"));
    assertEquals(List.of("aaaaaaaa", "€bb"), lines);
    for (String line : lines) {
      assert line.getBytes(StandardCharsets.UTF_8).length <= 10;
    }
  }

  @Test
  void fourByteCharactersAreNeverCut() {
    String text = "😀".repeat(40); // 160 bytes
    List<String> lines = split(16, bytes(text + "\n"));
    assertEquals(text, String.join("", lines));
    for (String line : lines) {
      assertEquals(16, line.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void aLongLineWithoutLfIsCutWhileItIsStillComing() {
    LineSplitter splitter = new LineSplitter(10);
    Lines lines = new Lines();
    byte[] chunk = bytes("0123456789012345");
    splitter.split(chunk, 0, chunk.length, lines);
    assertEquals(List.of("0123456789"), texts(lines));
  }

  /**
   * Each piece of a cut line is masked on its own (ProcessSupervisor.mask): a secret cut in two
   * would show in two halves. The cut goes before it, whether the line is complete or still coming,
   * whatever the reads.
   */
  @Test
  void aCutNeverGoesThroughASecret() {
    List<String> secrets = List.of("S3CRET");
    byte[] all = bytes("abcdefgS3CRETxyz\nend");
    for (int read = 1; read <= all.length; read++) {
      LineSplitter splitter = new LineSplitter(10, secrets);
      Lines lines = new Lines();
      for (int at = 0; at < all.length; at += read) {
        splitter.split(all, at, Math.min(read, all.length - at), lines);
      }
      splitter.finish(lines);
      List<String> pieces = texts(lines);
      assertEquals("abcdefgS3CRETxyzend", String.join("", pieces), "reads of " + read);
      assertEquals("end", pieces.get(pieces.size() - 1));
      for (String piece : pieces) {
        assertTrue(piece.length() <= 10, pieces.toString());
        String masked = ProcessSupervisor.mask(Lines.of(piece), secrets).text(0);
        assertFalse(masked.contains("S3C") || masked.contains("RET"), read + ": " + pieces);
      }
      if (read == all.length) { // the line complete in one read: the cut moves back to the secret
        assertEquals(List.of("abcdefg", "S3CRETxyz", "end"), pieces);
      }
    }
  }

  @Test
  void everyRuleHoldsWhenTheBytesComeOneByOne() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(bytes("plain\ncrlf\r\nin\rside\n\n"));
    all.writeBytes(new byte[] {(byte) 0xff, '\n'});
    all.writeBytes(bytes("aaaaaaaa€bb\nlast"));
    assertEquals(
        List.of("plain", "crlf", "in\rside", "", "\uFFFD", "aaaaaaaa", "€bb", "last"),
        splitByteByByte(10, all.toByteArray()));
  }

  @Test
  void nothingIsLostFromALargeOutput() {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    byte[] all = bytes(text.toString());
    LineSplitter splitter = new LineSplitter(1024);
    Lines lines = new Lines();
    for (int offset = 0; offset < all.length; offset += 4093) {
      splitter.split(all, offset, Math.min(4093, all.length - offset), lines);
    }
    splitter.finish(lines);
    assertEquals(10_000, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals("line " + (i + 1), lines.text(i));
    }
  }

  /**
   * Lines stay bytes when they are well-formed, so the check must agree with Java's decoder, which
   * made the lines before: on every sequence of up to three bytes from the interesting ones, and on
   * random ones.
   */
  @Test
  void wellFormedMeansWhatTheDecoderGivesBackUnchanged() {
    int[] interesting = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
      0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF
    };
    List<byte[]> cases = new ArrayList<>();
    for (int a : interesting) {
      for (int b : interesting) {
        for (int c : interesting) {
          cases.add(new byte[] {(byte) a, (byte) b, (byte) c});
          cases.add(new byte[] {(byte) a, (byte) b, (byte) c, (byte) 0x80});
        }
      }
    }
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 100_000; i++) {
      byte[] bytes = new byte[1 + random.nextInt(8)];
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = (byte) (0x80 + random.nextInt(0x80));
      }
      cases.add(bytes);
    }
    for (byte[] bytes : cases) {
      byte[] decoded = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      assertEquals(
          java.util.Arrays.equals(bytes, decoded),
          LineSplitter.isWellFormed(bytes, 0, bytes.length),
          java.util.HexFormat.of().formatHex(bytes));
    }
  }

  /** Plain means printable ASCII without quote and backslash, wherever in a word a byte sits. */
  @Test
  void aLineIsPlainExactlyWhenNoByteNeedsAnEscape() {
    byte[] alphabet = {
      'a', ' ', '~', 0x7F, '"', '\\', '\r', '\t', 0x00, 0x1F, (byte) 0xC3, (byte) 0xA9
    };
    java.util.Random random = new java.util.Random(11);
    int plain = 0;
    for (int round = 0; round < 50_000; round++) {
      byte[] bytes = new byte[random.nextInt(30)];
      for (int k = 0; k < bytes.length; k++) {
        // mostly plain bytes, so that plain lines of every length come up
        bytes[k] =
            random.nextInt(8) > 0
                ? alphabet[random.nextInt(4)]
                : alphabet[random.nextInt(alphabet.length)];
      }
      boolean expected = true;
      for (byte b : bytes) {
        expected &= b >= 0x20 && b != '"' && b != '\\';
      }
      int check = LineSplitter.check(bytes, 0, bytes.length);
      assertEquals(
          expected, check == LineSplitter.PLAIN, java.util.HexFormat.of().formatHex(bytes));
      plain += expected ? 1 : 0;
    }
    assertTrue(plain > 5_000, "plain lines tried: " + plain);
  }

  /**
   * The splitter's mark: a line marked plain is plain, and a plain line that was not cut is marked,
   * however the pipe's reads fall (and the lines are the same as from one read).
   */
  @Test
  void plainLinesAreMarkedWhereverTheReadsEnd() {
    byte[] alphabet = {
      ' ', '~', '\n', '\r', '"', '\\', '\t', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF
    };
    java.util.Random random = new java.util.Random(17);
    int marked = 0;
    for (int round = 0; round < 30_000; round++) {
      byte[] all = new byte[random.nextInt(70)];
      for (int k = 0; k < all.length; k++) {
        all[k] = random.nextInt(5) > 0 ? (byte) 'x' : alphabet[random.nextInt(alphabet.length)];
      }
      int max = random.nextBoolean() ? 1024 : 4 + random.nextInt(12);
      Lines whole = new Lines();
      LineSplitter once = new LineSplitter(max);
      once.split(all, 0, all.length, whole);
      once.finish(whole);
      Lines pieces = new Lines();
      LineSplitter splitter = new LineSplitter(max);
      for (int at = 0; at < all.length; ) {
        int read = Math.min(all.length - at, 1 + random.nextInt(12));
        splitter.split(all, at, read, pieces);
        at += read;
      }
      splitter.finish(pieces);
      assertEquals(texts(whole), texts(pieces));
      if (max == 1024) {
        assertEquals(linesOf(all), texts(whole), java.util.HexFormat.of().formatHex(all));
      }
      for (int i = 0; i < pieces.size(); i++) {
        boolean plain = true;
        for (byte b : bytes(pieces.text(i))) {
          plain &= b >= 0x20 && b != '"' && b != '\\';
        }
        assertTrue(plain || !pieces.isPlain(i), "marked plain: " + pieces.text(i));
        if (max == 1024) {
          assertEquals(plain, pieces.isPlain(i), pieces.text(i));
        }
        marked += pieces.isPlain(i) ? 1 : 0;
      }
    }
    assertTrue(marked > 10_000, "marked: " + marked);
  }
}
