package org.scriptcast.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.openid.OpenIdContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.scriptcast.security.OidcSettings;

/** The login page's form, and signing out. */
@Named
@RequestScoped
public class Login {

  @Inject SecurityContext security;
  @Inject FacesContext faces;
  @Inject OidcSettings oidc;
  @Inject Instance<OpenIdContext> openId;

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

  /**
   * Signs out here, and with OpenID Connect at the provider too, when it has an end of session
   * (RP-initiated logout): without that, the provider's own session signed the user in again at
   * once. The provider sends the browser back to the sign-in page, which it must allow as a
   * post-logout redirect URI. With OpenID Connect the session is what holds the login, and {@code
   * request.logout()} is not called: the mechanism answers it with a redirect of its own to the
   * provider's sign-in, and the redirect here then failed (a 500).
   */
  public void signOut() throws IOException, ServletException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    String signInPage = external.getRequestContextPath() + "/login.xhtml";
    String next = signInPage;
    if (oidc.isEnabled()) {
      next = endOfSession(request, signInPage);
    } else {
      request.logout();
    }
    external.invalidateSession();
    external.redirect(next);
    faces.responseComplete();
  }

  /** The provider's end of session for this login, or the sign-in page when it has none. */
  private String endOfSession(HttpServletRequest request, String signInPage) {
    OpenIdContext context = openId.get();
    String endpoint = context.getProviderMetadata().getString("end_session_endpoint", null);
    if (endpoint == null) {
      return signInPage;
    }
    String back = URI.create(request.getRequestURL().toString()).resolve(signInPage).toString();
    return endpoint
        + (endpoint.contains("?") ? "&" : "?")
        + "id_token_hint="
        + URLEncoder.encode(context.getIdentityToken().getToken(), StandardCharsets.UTF_8)
        + "&post_logout_redirect_uri="
        + URLEncoder.encode(back, StandardCharsets.UTF_8);
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
