package org.scriptcast.catalog.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.scriptcast.catalog.control.CatalogReader;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.platform.Settings;

/** The loaded catalog: read once at start-up from {@code scriptcast.catalog}. */
@ApplicationScoped
public class Catalog {

  private static final Logger LOG = Logger.getLogger(Catalog.class.getName());

  @Inject Settings settings;

  private volatile Map<String, Script> scripts = Map.of();

  @PostConstruct
  void load() {
    Path folder = Path.of(settings.catalog()).toAbsolutePath().normalize();
    CatalogReader.Result result = new CatalogReader().read(folder);
    for (CatalogReader.Problem problem : result.problems()) {
      LOG.warning(
          () -> "Catalog " + folder + ": " + problem.file() + " left out: " + problem.reason());
    }
    Map<String, Script> loaded = new LinkedHashMap<>();
    result.scripts().forEach(script -> loaded.put(script.name(), script));
    scripts = loaded;
    LOG.info(() -> "Catalog " + folder + ": " + loaded.size() + " scripts " + loaded.keySet());
  }

  /**
   * Loads the catalog when the application starts rather than at the first request: observing the
   * event creates the bean, which runs {@link #load()}.
   */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {}

  public List<Script> scripts() {
    return List.copyOf(scripts.values());
  }

  public Optional<Script> find(String name) {
    return Optional.ofNullable(scripts.get(name));
  }
}
