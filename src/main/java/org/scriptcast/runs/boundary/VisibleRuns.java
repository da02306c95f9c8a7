package org.scriptcast.runs.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import org.scriptcast.runs.control.RunLog;
import org.scriptcast.runs.control.Runs;
import org.scriptcast.security.Caller;

/**
 * The runs the caller may see, for every {@code /api/runs/{id}} path: a run of a script the caller
 * may not run is "not found", exactly like one that does not exist, so ids reveal nothing.
 */
@RequestScoped
public class VisibleRuns {

  @Inject Runs runs;
  @Inject Caller caller;

  public RunLog find(String id) {
    return runs.find(id)
        .filter(log -> caller.maySee(log.run().script()))
        .orElseThrow(() -> new NotFoundException("No run " + id));
  }
}
