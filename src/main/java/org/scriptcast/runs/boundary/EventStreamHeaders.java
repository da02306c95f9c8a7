package org.scriptcast.runs.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * The headers every event stream carries: no caching, and no buffering by a proxy (nginx honours
 * {@code X-Accel-Buffering}). A buffering proxy would hold the lines that the stream exists to
 * deliver at once.
 */
@Provider
public class EventStreamHeaders implements ContainerResponseFilter {

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    MediaType type = response.getMediaType();
    if (type != null && MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(type)) {
      response.getHeaders().putSingle("Cache-Control", "no-cache");
      response.getHeaders().putSingle("X-Accel-Buffering", "no");
    }
  }
}
