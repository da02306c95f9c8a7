package skeleton;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Reads the database once at start-up, as scriptcast does to finish runs a stop interrupted. */
@ApplicationScoped
public class Start {
  @Inject Notes notes;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
    notes.count();
  }

  void onLine(@Observes String line) {}
}
