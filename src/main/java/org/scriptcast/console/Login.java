package org.scriptcast.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The login page's form, and signing out. */
@Named
@RequestScoped
public class Login {

  @Inject SecurityContext security;
  @Inject FacesContext faces;

  private String name;
  private String password;
  private String next;

  public void signIn() throws IOException {
    ExternalContext external = faces.getExternalContext();
    AuthenticationStatus status =
        security.authenticate(
            (HttpServletRequest) external.getRequest(),
            (HttpServletResponse) external.getResponse(),
            AuthenticationParameters.withParams()
                .credential(new UsernamePasswordCredential(name, password))
                .newAuthentication(true));
    password = null;
    if (status == AuthenticationStatus.SUCCESS) {
      external.redirect(external.getRequestContextPath() + safeNext());
      faces.responseComplete();
    } else {
      faces.addMessage(
          null,
          new FacesMessage(FacesMessage.SEVERITY_ERROR, "Wrong user name or password.", null));
    }
  }

  public void signOut() throws IOException, ServletException {
    ExternalContext external = faces.getExternalContext();
    ((HttpServletRequest) external.getRequest()).logout();
    external.invalidateSession();
    external.redirect(external.getRequestContextPath() + "/login.xhtml");
    faces.responseComplete();
  }

  /** Back to the page that sent the user here, but only to a page of this site. */
  private String safeNext() {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
      return "/";
    }
    return next;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getNext() {
    return next;
  }

  public void setNext(String next) {
    this.next = next;
  }
}
