package org.scriptcast.platform;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every error of the API as problem+json: the ones our resources throw and the ones JAX-RS raises
 * itself (404 for an unknown path, 405, 406, 415). Answers that already carry a body, and non-error
 * answers thrown to end a request early (204 for a finished stream), go out as they are.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<WebApplicationException> {

  @Override
  public Response toResponse(WebApplicationException exception) {
    Response response = exception.getResponse();
    if (response.hasEntity() || response.getStatus() < 400) {
      return response;
    }
    String detail = exception.getMessage();
    if (detail != null && detail.startsWith("HTTP ")) {
      detail = null; // JAX-RS's default message only repeats the status
    }
    return Problem.of(response.getStatusInfo(), detail);
  }
}
