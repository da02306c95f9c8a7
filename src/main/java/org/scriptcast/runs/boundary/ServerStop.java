package org.scriptcast.runs.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.runs.control.Executions;
import org.scriptcast.runs.control.LogWriter;
import org.scriptcast.runs.control.RunQueue;

/**
 * When the application stops: every executing run's processes are stopped (SIGTERM, then SIGKILL
 * after the grace period) and the runs end INTERRUPTED, then the last events are written. A servlet
 * listener, because Payara Micro stopped by a signal does not call {@code @PreDestroy} of CDI beans
 * or EJBs (payara#4573), while it does stop the web application.
 */
@WebListener
public class ServerStop implements ServletContextListener {

  @Inject RunQueue queue;
  @Inject Executions executions;
  @Inject LogWriter writer;

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    try {
      queue.stop(); // else a worker whose run was stopped would start the next one waiting
      executions.stopAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      Logger.getLogger(ServerStop.class.getName())
          .log(Level.WARNING, "Could not stop every run's processes", e);
    }
    writer.stop();
  }
}
