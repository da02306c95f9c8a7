package org.scriptcast.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.security.Principal;
import java.util.Set;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.runs.entity.Run;

/**
 * Who is asking, and the rules of API.md for what they may do: a catalog entry names the roles that
 * may run it (none: only {@code admin}); a user sees and follows the runs of the scripts they may
 * run, whoever started them; {@code admin} sees everything; a run may be cancelled by whoever
 * started it and by {@code admin}.
 */
@RequestScoped
public class Caller {

  public static final String ADMIN = "admin";

  /** A signed-in person, as their session keeps them. */
  public record Identity(String name, Set<String> roles) implements Serializable {}

  @Inject SecurityContext security;
  @Inject HttpServletRequest request;
  @Inject Catalog catalog;

  public String name() {
    Principal principal = security.getCallerPrincipal();
    return principal == null ? "anonymous" : principal.getName();
  }

  /**
   * The container's role check, for both logins (the built-in users' roles, or the provider's roles
   * claim mapped one to one): it knows the catalog's roles because {@link RoleDeclarations}
   * declared them.
   */
  public boolean hasRole(String role) {
    return request.isUserInRole(role);
  }

  public boolean isAdmin() {
    return hasRole(ADMIN);
  }

  public boolean mayRun(Script script) {
    return isAdmin() || script.roles().stream().anyMatch(this::hasRole);
  }

  /** The runs of a script that has left the catalog are for {@code admin} only. */
  public boolean maySee(String scriptName) {
    return isAdmin() || catalog.find(scriptName).map(this::mayRun).orElse(false);
  }

  public boolean mayCancel(Run run) {
    return isAdmin() || run.startedBy().equals(name());
  }
}
