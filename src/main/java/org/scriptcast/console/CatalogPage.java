package org.scriptcast.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.security.Caller;

/** The start page: the catalog, each script with a form made from its parameters. */
@Named
@RequestScoped
public class CatalogPage {

  @Inject Catalog catalog;
  @Inject Caller caller;

  /** The scripts the signed-in user may run. */
  public List<Script> getScripts() {
    return catalog.scripts().stream().filter(caller::mayRun).toList();
  }
}
