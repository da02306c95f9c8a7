package org.scriptcast.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.Set;
import org.scriptcast.platform.Problem;

/**
 * No cross-site posting: a state-changing API call whose {@code Origin} (or, without one, {@code
 * Referer}) names another site is refused with 403, and one with a body that is not {@code
 * application/json} with 415, so that a form on another site can never start or cancel anything
 * with a visitor's session. Browsers send {@code Origin} on every cross-origin POST.
 */
@Provider
@PreMatching
public class SameOrigin implements ContainerRequestFilter {

  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

  @Override
  public void filter(ContainerRequestContext request) {
    if (!STATE_CHANGING.contains(request.getMethod())) {
      return;
    }
    String host = request.getHeaderString("X-Forwarded-Host");
    if (host == null) {
      host = request.getHeaderString(HttpHeaders.HOST);
    }
    String origin = request.getHeaderString("Origin");
    String referer = request.getHeaderString("Referer");
    String from = origin != null ? origin : referer;
    if (from != null && !sameHost(from, host)) {
      request.abortWith(
          Problem.of(Response.Status.FORBIDDEN, "Requests from another site are refused"));
      return;
    }
    MediaType type = request.getMediaType();
    boolean json =
        type != null
            && type.getType().equalsIgnoreCase("application")
            && type.getSubtype().equalsIgnoreCase("json");
    if (!json && (type != null || request.getLength() > 0)) {
      request.abortWith(
          Problem.of(
              Response.Status.UNSUPPORTED_MEDIA_TYPE, "Only application/json bodies are taken"));
    }
  }

  /** Compares host and port as the browser wrote them; "null" or garbage is another site. */
  private static boolean sameHost(String url, String host) {
    try {
      String authority = URI.create(url.trim()).getRawAuthority();
      return authority != null && host != null && authority.equalsIgnoreCase(host.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
