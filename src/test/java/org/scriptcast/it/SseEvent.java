package org.scriptcast.it;

/** An event as a conforming EventSource dispatches it. */
public record SseEvent(String id, String type, String data) {

  public long number() {
    return Long.parseLong(id);
  }
}
