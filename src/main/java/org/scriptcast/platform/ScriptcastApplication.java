package org.scriptcast.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The HTTP API lives under {@code /api}; resources and providers are found by scanning. */
@ApplicationPath("api")
public class ScriptcastApplication extends Application {

  /**
   * No WADL: the API is described by the OpenAPI document (META-INF/openapi.yaml), and Jersey's
   * {@code /api/application.wadl} would be a second, unpromised description of it. Without it
   * Jersey also skips its WADL model at deployment: 6 boots each, alternated, gave medians 1.4 s
   * less CPU and 0.46 s less to the first page, close to the machine's noise (docs/performance.md).
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
