package org.scriptcast.operations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.runs.control.RunStore;

/**
 * MicroProfile Health, served by Payara at {@code /health/ready} and {@code /health/live}: ready
 * once the catalog is loaded and the database answers; live while the application runs.
 */
@ApplicationScoped
public class HealthChecks {

  @Inject Catalog catalog;
  @Inject RunStore store;

  @Produces
  @Readiness
  HealthCheck ready() {
    // the catalog is read when its bean is created: asking for its scripts is waiting for that
    return () -> {
      String database = "answers";
      boolean up = true;
      try {
        store.ping();
      } catch (RuntimeException e) {
        database = "unreachable: " + e.getMessage();
        up = false;
      }
      return HealthCheckResponse.named("scriptcast")
          .status(up)
          .withData("catalog", catalog.scripts().size() + " scripts")
          .withData("database", database)
          .build();
    };
  }

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> HealthCheckResponse.up("scriptcast");
  }
}
