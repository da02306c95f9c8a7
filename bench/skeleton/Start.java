package skeleton;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Calls the EJB once at start-up; the CDI event it fires comes back here. */
@ApplicationScoped
public class Start {
  @Inject Notes notes;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
    notes.note("started");
  }

  void onLine(@Observes String line) {}
}
