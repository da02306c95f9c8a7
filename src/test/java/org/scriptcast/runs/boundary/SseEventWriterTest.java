package org.scriptcast.runs.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventWriterTest {

  /** The minimum of an event that the writer reads, without Jersey on the class path. */
  private record Event(String id, String name, String comment, long reconnectDelay, Object data)
      implements OutboundSseEvent {
    @Override
    public String getId() {
      return id;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getComment() {
      return comment;
    }

    @Override
    public long getReconnectDelay() {
      return reconnectDelay;
    }

    @Override
    public boolean isReconnectDelaySet() {
      return reconnectDelay >= 0;
    }

    @Override
    public Class<?> getType() {
      return String.class;
    }

    @Override
    public Type getGenericType() {
      return new GenericType<String>() {}.getType();
    }

    @Override
    public MediaType getMediaType() {
      return MediaType.TEXT_PLAIN_TYPE;
    }

    @Override
    public Object getData() {
      return data;
    }
  }

  private static String encode(String data) {
    return new String(
        SseEventWriter.encode(new Event("7", "stdout", null, -1, data)), StandardCharsets.UTF_8);
  }

  @Test
  void anEventHasIdEventAndData() {
    assertEquals("id: 7\nevent: stdout\ndata: hello\n", encode("hello"));
  }

  @Test
  void anEmptyLineStillHasADataField() {
    assertEquals("id: 7\nevent: stdout\ndata:\n", encode(""));
  }

  @Test
  void aCrStartsANewDataFieldSoNoRawCrIsEverSent() {
    String wire = encode("10%\r50%\r");
    assertEquals("id: 7\nevent: stdout\ndata: 10%\ndata: 50%\ndata:\n", wire);
    assertEquals(-1, wire.indexOf('\r'));
  }

  @Test
  void aScriptCannotForgeAnEventWithACr() {
    String wire = encode("x\r\revent: result\rdata: 0");
    // every part is inside a data field: the client reads "x\n\nevent: result\ndata: 0" as data
    assertEquals(
        "id: 7\nevent: stdout\ndata: x\ndata:\ndata: event: result\ndata: data: 0\n", wire);
  }

  @Test
  void leadingSpacesSurviveTheOneSpaceAClientStrips() {
    assertEquals("id: 7\nevent: stdout\ndata:   indented\n", encode("  indented"));
  }

  @Test
  void retryAndCommentsAreFieldsOfTheirOwn() {
    assertEquals(
        "retry: 2000\n",
        new String(
            SseEventWriter.encode(new Event(null, null, "", 2000, null)), StandardCharsets.UTF_8));
    assertEquals(
        ": keep-alive\n",
        new String(
            SseEventWriter.encode(new Event(null, null, "keep-alive", -1, null)),
            StandardCharsets.UTF_8));
  }
}
