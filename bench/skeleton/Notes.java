package skeleton;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/** The @Stateless EJB of the fixed shape, with its executor and a CDI event. */
@Stateless
public class Notes {
  @Resource ManagedExecutorService executor;
  @Inject Event<String> lines;

  public void note(String line) {
    lines.fire(line);
  }
}
