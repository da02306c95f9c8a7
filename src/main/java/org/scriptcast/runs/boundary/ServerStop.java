package org.scriptcast.runs.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import org.scriptcast.runs.control.LogWriter;

/**
 * Writes the last events when the application stops. A servlet listener, because Payara Micro
 * stopped by a signal does not call {@code @PreDestroy} of CDI beans or EJBs (payara#4573), while
 * it does stop the web application.
 */
@WebListener
public class ServerStop implements ServletContextListener {

  @Inject LogWriter writer;

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    writer.stop();
  }
}
