package org.scriptcast.runs.control;

/**
 * Whether a follower's client takes more of its event stream now. A follower sends only when it
 * does: a send to a client that has stopped reading would block the sender thread (Payara's HTTP
 * layer waits until the client reads, or for its write timeout), and a few such clients would hold
 * every sender thread and stop every other stream.
 */
public interface ClientReadiness {

  /** For a stream that never makes its sender wait (and in tests). */
  ClientReadiness ALWAYS = () -> true;

  /**
   * True when a chunk sent now goes out without waiting for the client. When false, the wake-up set
   * by {@link #whenReady} runs once the client has taken enough. Throws if the client is gone.
   */
  boolean ready();

  /** What runs (on any thread) when the client takes more again after {@link #ready} said no. */
  default void whenReady(Runnable wake) {}
}
