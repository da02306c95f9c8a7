package org.scriptcast.platform;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What no resource expected (the database refused a write, a bug) as problem+json too, not the
 * container's HTML error page: 500, with an incident number that the server log carries beside the
 * exception. The exception's own text stays in the log, since it may tell a caller about the
 * server's insides. JAX-RS picks the closest mapper, so {@link ProblemMapper} still answers its
 * own, and Jersey's mapper for {@code EJBException} still unwraps an exception that an EJB threw.
 */
@Provider
public class FailureMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(FailureMapper.class.getName());

  @Override
  public Response toResponse(Throwable failure) {
    String incident = UUID.randomUUID().toString().substring(0, 8);
    // an answer that could not be written (a download the client left) is no server failure
    Level level = failure instanceof IOException ? Level.FINE : Level.SEVERE;
    LOG.log(level, "Incident " + incident + ": the API failed to answer", failure);
    return Problem.of(
        Response.Status.INTERNAL_SERVER_ERROR,
        "The server failed to answer (incident " + incident + ", in its log)");
  }
}
