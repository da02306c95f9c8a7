package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static List<String> split(int max, byte[]... reads) {
    LineSplitter splitter = new LineSplitter(max);
    List<String> lines = new ArrayList<>();
    for (byte[] read : reads) {
      splitter.split(read, 0, read.length, lines);
    }
    splitter.finish(lines);
    return lines;
  }

  private static List<String> split(String text) {
    return split(1024, bytes(text));
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
    List<String> lines = new ArrayList<>();
    byte[] chunk = bytes("0123456789012345");
    splitter.split(chunk, 0, chunk.length, lines);
    assertEquals(List.of("0123456789"), lines);
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
    List<String> lines = new ArrayList<>();
    for (int offset = 0; offset < all.length; offset += 4093) {
      splitter.split(all, offset, Math.min(4093, all.length - offset), lines);
    }
    splitter.finish(lines);
    assertEquals(10_000, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals("line " + (i + 1), lines.get(i));
    }
  }
}
