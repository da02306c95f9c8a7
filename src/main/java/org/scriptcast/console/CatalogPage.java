package org.scriptcast.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.catalog.entity.Script;

/** The start page: the catalog, each script with a form made from its parameters. */
@Named
@RequestScoped
public class CatalogPage {

  @Inject Catalog catalog;

  public List<Script> getScripts() {
    return catalog.scripts();
  }
}
