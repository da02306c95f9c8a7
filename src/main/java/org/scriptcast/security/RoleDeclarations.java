package org.scriptcast.security;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.catalog.entity.Script;

/**
 * Declares {@code admin} and every role of the catalog to the container at start-up. Why: Payara's
 * own role check ({@code isUserInRole}, which is all an OpenID Connect login leaves {@link Caller})
 * answers false for a role the application did not declare, whatever the caller's groups
 * (payara#3918, glassfish#25383: measured here, the built-in login checked that way failed 8 of
 * {@code SecurityIT}'s 13 tests), and a catalog's roles are its operator's, not the WAR's. The
 * catalog is read once, at start-up, so the declaration covers every role it can name.
 */
@WebListener
public class RoleDeclarations implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(RoleDeclarations.class.getName());

  @Inject Catalog catalog;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    Set<String> roles = new TreeSet<>(Set.of(Caller.ADMIN));
    for (Script script : catalog.scripts()) {
      roles.addAll(script.roles());
    }
    event.getServletContext().declareRoles(roles.toArray(String[]::new));
    LOG.fine(() -> "Roles declared: " + roles);
  }
}
