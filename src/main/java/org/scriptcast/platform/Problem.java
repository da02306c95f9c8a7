package org.scriptcast.platform;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.scriptcast.catalog.control.ParameterValidator.FieldError;

/**
 * An RFC 9457 problem answer. The body is written as a string so that it goes out whatever the
 * client's {@code Accept} asked for (an SSE client that gets a 404 still reads why).
 */
public final class Problem {

  public static final String MEDIA_TYPE = "application/problem+json";

  private Problem() {}

  public static Response of(Response.StatusType status, String detail) {
    return build(status, "about:blank", status.getReasonPhrase(), detail, null);
  }

  public static Response invalidParameters(List<FieldError> errors) {
    JsonArrayBuilder list = JSON.createArrayBuilder();
    for (FieldError error : errors) {
      list.add(
          JSON.createObjectBuilder().add("field", error.field()).add("message", error.message()));
    }
    return build(
        Response.Status.BAD_REQUEST,
        "urn:scriptcast:problem:invalid-parameters",
        "Invalid parameters",
        errors.size() == 1 ? "1 parameter is invalid" : errors.size() + " parameters are invalid",
        list);
  }

  private static Response build(
      Response.StatusType status,
      String type,
      String title,
      String detail,
      JsonArrayBuilder errors) {
    JsonObjectBuilder body =
        JSON.createObjectBuilder()
            .add("type", type)
            .add("title", title)
            .add("status", status.getStatusCode());
    if (detail != null) {
      body.add("detail", detail);
    }
    if (errors != null) {
      body.add("errors", errors);
    }
    return Response.status(status).type(MEDIA_TYPE).entity(body.build().toString()).build();
  }
}
