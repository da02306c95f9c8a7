package org.scriptcast.it;

import java.util.List;

/** An event as a conforming EventSource dispatches it. */
public record SseEvent(String id, String type, String data) {

  /** The data of the events of one type, in order. */
  public static List<String> data(List<SseEvent> events, String type) {
    return events.stream().filter(e -> e.type().equals(type)).map(SseEvent::data).toList();
  }

  public long number() {
    return Long.parseLong(id);
  }
}
