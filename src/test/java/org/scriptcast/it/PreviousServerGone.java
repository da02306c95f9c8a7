package org.scriptcast.it;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Waits, before a test class boots its server, until the Payara Micro of the class before has
 * exited. The Arquillian connector only sends SIGTERM when a class ends and does not wait; the old
 * server then stops its scripts for up to the kill grace and writes their runs as INTERRUPTED,
 * while the next one starts on the same database and finishes the same runs at start-up. On
 * PostgreSQL both succeeded at once now and then: the second write failed and the new server
 * answered 404 to a whole test class.
 */
class PreviousServerGone implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    for (ProcessHandle server :
        ProcessHandle.current()
            .children()
            .filter(child -> child.info().commandLine().orElse("").contains("payara-micro"))
            .toList()) {
      server.onExit().get(120, TimeUnit.SECONDS);
    }
  }
}
