package org.scriptcast.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.RunEvent;

class EventStreamChunkTest {

  /** What goes on the wire: the chunk, then the sink's own delimiter (LF). */
  private static String wire(EventStreamChunk chunk) {
    return new String(chunk.wireBytes(), StandardCharsets.UTF_8) + "\n";
  }

  private static EventPage page(RunEvent... events) {
    return EventPage.of(List.of(events));
  }

  private static String batch(RunEvent... events) {
    EventPage page = page(events);
    EventStreamChunk chunk = new EventStreamChunk().beginBatch(page.id(page.size() - 1));
    for (int i = 0; i < page.size(); i++) {
      chunk.addToBatch(page, i);
    }
    return wire(chunk.endBatch());
  }

  private static String line(String data) {
    return wire(new EventStreamChunk().add(page(new RunEvent(7, EventType.STDOUT, data, 0)), 0));
  }

  @Test
  void aBatchIsOneEventWithTheLastIdAndAJsonArrayOnOneLine() {
    String wire =
        batch(
            new RunEvent(3, EventType.STDOUT, "a \"quoted\"\r\\", 0),
            new RunEvent(4, EventType.STDERR, "\u0001 ü", 1));
    assertEquals(
        "id: 4\nevent: batch\ndata: [{\"id\":3,\"event\":\"stdout\",\"data\":\"a \\\"quoted\\\"\\r\\\\\","
            + "\"time\":\"1970-01-01T00:00:00.000Z\"},{\"id\":4,\"event\":\"stderr\",\"data\":\"\\u0001 ü\","
            + "\"time\":\"1970-01-01T00:00:00.001Z\"}]\n\n",
        wire);
    assertEquals(-1, wire.indexOf('\r'));
  }

  @Test
  void batchTextEscapesJavaScriptLineEndsAndTabsAndKeepsOtherCharacters() {
    String wire = batch(new RunEvent(1, EventType.STDOUT, "\u2028a\tb\u2029€\u2027\u00e2\n", 0));
    assertEquals(
        "id: 1\nevent: batch\ndata: [{\"id\":1,\"event\":\"stdout\",\"data\":"
            + "\"\\u2028a\\tb\\u2029€\u2027\u00e2\\n\",\"time\":\"1970-01-01T00:00:00.000Z\"}]\n\n",
        wire);
  }

  /** Whatever the text, the batch's JSON gives it back: the fast path skips only plain bytes. */
  @Test
  void anyTextSurvivesTheBatchJson() {
    char[] alphabet = {
      'a', ' ', '"', '\\', '\n', '\r', '\t', 0x01, 0x1F, 0x7F, 'é', '€', '\u2028', '\u2029'
    };
    java.util.Random random = new java.util.Random(3);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String wire = batch(new RunEvent(1, EventType.STDOUT, text.toString(), 0));
      String json = wire.substring(wire.indexOf("data: ") + 6, wire.length() - 2);
      try (jakarta.json.JsonReader reader =
          jakarta.json.Json.createReader(new java.io.StringReader(json))) {
        assertEquals(text.toString(), reader.readArray().getJsonObject(0).getString("data"));
      }
      assertEquals(-1, json.indexOf('\n'));
      assertEquals(-1, json.indexOf('\u2028'));
    }
  }

  @Test
  void anEventHasIdEventAndData() {
    assertEquals("id: 7\nevent: stdout\ndata: hello\n\n", line("hello"));
  }

  @Test
  void anEmptyLineStillHasADataField() {
    assertEquals("id: 7\nevent: stdout\ndata:\n\n", line(""));
  }

  @Test
  void aCrStartsANewDataFieldSoNoRawCrIsEverSent() {
    String wire = line("10%\r50%\r");
    assertEquals("id: 7\nevent: stdout\ndata: 10%\ndata: 50%\ndata:\n\n", wire);
    assertEquals(-1, wire.indexOf('\r'));
  }

  @Test
  void aScriptCannotForgeAnEventWithACr() {
    assertEquals(
        "id: 7\nevent: stdout\ndata: x\ndata:\ndata: event: result\ndata: data: 0\n\n",
        line("x\r\revent: result\rdata: 0"));
  }

  @Test
  void leadingSpacesSurviveTheOneSpaceAClientStrips() {
    assertEquals("id: 7\nevent: stdout\ndata:   indented\n\n", line("  indented"));
  }

  @Test
  void manyEventsGoOutAsOneChunk() {
    EventPage page =
        page(
            new RunEvent(1, EventType.STDOUT, "a", 0),
            new RunEvent(2, EventType.STDERR, "b", 0),
            new RunEvent(3, EventType.RESULT, "0", 0));
    EventStreamChunk chunk =
        new EventStreamChunk().retry(2000).add(page, 0).add(page, 1).add(page, 2);
    assertEquals(
        "retry: 2000\n\nid: 1\nevent: stdout\ndata: a\n\nid: 2\nevent: stderr\ndata: b\n\n"
            + "id: 3\nevent: result\ndata: 0\n\n",
        wire(chunk));
  }

  @Test
  void largeIdsAreWrittenInFull() {
    assertEquals(
        "id: 1234567890123\nevent: stderr\ndata: x\n\n",
        line(new EventStreamChunk(), new RunEvent(1234567890123L, EventType.STDERR, "x", 0)));
  }

  @Test
  void consecutiveIdsAcrossEveryCarryAndJumpsAreWrittenInFull() {
    EventStreamChunk chunk = new EventStreamChunk();
    StringBuilder expected = new StringBuilder();
    long[] starts = {0, 7, 95, 995, 99_995, 9_999_999_995L, Long.MAX_VALUE - 3, 41, 1_000_000};
    for (long start : starts) {
      for (long id = start; id < start + 8 && id >= 0; id++) {
        chunk.add(page(new RunEvent(id, EventType.STDOUT, "x", 0)), 0);
        expected.append("id: ").append(id).append("\nevent: stdout\ndata: x\n\n");
      }
    }
    assertEquals(expected.toString(), wire(chunk));
  }

  /**
   * A batch item's opening is kept from one item to the next, its id counted up in place: every
   * carry, a jump, a change of type or time, and a chunk filled again must still give each item's
   * own id, type and time.
   */
  @Test
  void batchItemsAcrossEveryCarryJumpTypeAndTimeAreWrittenInFull() {
    EventStreamChunk chunk = new EventStreamChunk();
    long[] starts = {0, 7, 95, 995, 99_995, 9_999_999_995L, Long.MAX_VALUE - 3, 41, 1_000_000};
    for (int round = 0; round < 2; round++) {
      StringBuilder expected = new StringBuilder();
      chunk.clear();
      for (long start : starts) {
        long last = start > Long.MAX_VALUE - 7 ? Long.MAX_VALUE : start + 7;
        chunk.beginBatch(last);
        expected.append("id: ").append(last).append("\nevent: batch\ndata: [");
        for (long id = start; id <= last && id >= start; id++) { // stops at Long.MAX_VALUE too
          EventType type = id % 8 == 6 ? EventType.STDERR : EventType.STDOUT; // no carry at 6
          long time = id / 2 % 1000;
          chunk.addToBatch(page(new RunEvent(id, type, "x" + id, time)), 0);
          expected
              .append(id == start ? "{" : ",{")
              .append("\"id\":")
              .append(id)
              .append(",\"event\":\"")
              .append(type.wireName())
              .append("\",\"data\":\"x")
              .append(id)
              .append("\",\"time\":\"")
              .append(RunJson.time(java.time.Instant.ofEpochMilli(time)))
              .append("\"}");
        }
        chunk.endBatch();
        expected.append("]\n\n");
      }
      assertEquals(expected.toString(), wire(chunk));
    }
  }

  private static String line(EventStreamChunk chunk, RunEvent event) {
    return wire(chunk.add(page(event), 0));
  }

  @Test
  void outputNextToEachOtherIsOneBatchAcrossPagesAndAStateEventStandsAlone() {
    EventStreamChunk chunk = new EventStreamChunk();
    Follower.addBatched(
        chunk,
        List.of(
            page(new RunEvent(1, EventType.STDOUT, "a", 0)),
            page(
                new RunEvent(2, EventType.STDERR, "b", 0),
                new RunEvent(3, EventType.STATE, "{}", 0),
                new RunEvent(4, EventType.STDOUT, "c", 0))));
    String time = "\"time\":\"1970-01-01T00:00:00.000Z\"";
    assertEquals(
        "id: 2\nevent: batch\ndata: [{\"id\":1,\"event\":\"stdout\",\"data\":\"a\","
            + time
            + "},{\"id\":2,\"event\":\"stderr\",\"data\":\"b\","
            + time
            + "}]\n\nid: 3\nevent: state\ndata: {}\n\nid: 4\nevent: batch\ndata: [{\"id\":4,"
            + "\"event\":\"stdout\",\"data\":\"c\","
            + time
            + "}]\n\n",
        wire(chunk));
  }

  @Test
  void aKeepAliveIsAComment() {
    assertEquals(": keep-alive\n\n", wire(new EventStreamChunk().comment("keep-alive")));
  }

  /**
   * A line the splitter found plain skips the encoders' scans: it must come out exactly as a line
   * whose bytes are looked at (as events read from the database are), in both forms.
   */
  @Test
  void plainLinesComeOutAsScannedLinesDo() {
    char[] alphabet = {'a', ' ', '~', '"', '\\', '\r', '\t', 0x01, 'é'};
    java.util.Random random = new java.util.Random(5);
    RunLog log =
        new RunLog(
            new org.scriptcast.runs.entity.Run(
                "r-1",
                "test",
                jakarta.json.JsonValue.EMPTY_JSON_OBJECT,
                "alice",
                java.time.Instant.now()),
            (runId, after, max) -> EventPage.EMPTY);
    LineSplitter splitter = new LineSplitter(1000);
    org.scriptcast.runs.entity.Lines lines = new org.scriptcast.runs.entity.Lines();
    List<RunEvent> events = new java.util.ArrayList<>();
    for (int id = 1; id <= 1000; id++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(30); i > 0; i--) {
        text.append(random.nextInt(6) > 0 ? 'x' : alphabet[random.nextInt(alphabet.length)]);
      }
      byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
      lines.clear();
      splitter.split(bytes, 0, bytes.length, lines);
      log.append(EventType.STDOUT, lines, id);
      // the text as the splitter gave it: a CR before the LF goes with the LF
      events.add(new RunEvent(id, EventType.STDOUT, lines.text(0), id));
    }
    EventPage fromLog = log.page(0, 1000);
    EventPage scanned = page(events.toArray(RunEvent[]::new));
    int plain = 0;
    for (int i = 0; i < 1000; i++) {
      plain += fromLog.isPlain(i) ? 1 : 0;
      assertEquals(false, scanned.isPlain(i));
    }
    org.junit.jupiter.api.Assertions.assertTrue(plain > 100 && plain < 900, "plain: " + plain);
    for (boolean batch : new boolean[] {true, false}) {
      assertEquals(encode(scanned, batch), encode(fromLog, batch));
    }
  }

  private static String encode(EventPage page, boolean batch) {
    EventStreamChunk chunk = new EventStreamChunk();
    Follower.addBatched(chunk, List.of(page));
    if (!batch) {
      chunk = new EventStreamChunk();
      for (int i = 0; i < page.size(); i++) {
        chunk.add(page, i);
      }
    }
    return wire(chunk);
  }
}
