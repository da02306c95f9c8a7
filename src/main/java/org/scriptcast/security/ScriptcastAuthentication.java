package org.scriptcast.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * How scriptcast knows who is asking, on every request. API clients send HTTP Basic; people sign in
 * on the login page, and their session then also carries the API calls their page makes ({@code
 * EventSource} cannot send an {@code Authorization} header). Without either: 401 with {@code
 * WWW-Authenticate: Basic} for {@code /api}, a redirect to the login page for pages. Jakarta
 * Security 3 allows one mechanism per application, hence both ways in one.
 */
@ApplicationScoped
public class ScriptcastAuthentication implements HttpAuthenticationMechanism {

  /** The session attribute of a signed-in person: their {@link Caller.Identity}. */
  static final String SESSION_IDENTITY = "scriptcast.identity";

  /** What anyone may fetch: the login page and what it needs. */
  private static final List<String> PUBLIC_PATHS =
      List.of("/login.xhtml", "/scriptcast.css", "/jakarta.faces.resource/", "/favicon.ico");

  @Inject IdentityStoreHandler identityStores;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    Credential given =
        context.isAuthenticationRequest() ? context.getAuthParameters().getCredential() : null;
    if (given != null) {
      return signIn(request, context, given);
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      return basic(authorization, request, response, context);
    }
    HttpSession session = request.getSession(false);
    Caller.Identity identity =
        session == null ? null : (Caller.Identity) session.getAttribute(SESSION_IDENTITY);
    if (identity != null) {
      return context.notifyContainerAboutLogin(identity.name(), identity.roles());
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (PUBLIC_PATHS.stream().anyMatch(path::startsWith)) {
      return context.doNothing();
    }
    if (path.startsWith("/api/")) {
      // a page whose session ended (it still sends the cookie) gets no Basic challenge: browsers
      // answer one with their own password box, and keep what is typed there after signing out.
      // Its 401 names the login page's scheme instead (API.md and HTTP want a WWW-Authenticate)
      boolean sessionEnded =
          request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
      return unauthorized(
          response,
          context,
          sessionEnded
              ? "Your session ended: sign in again"
              : "Sign in with HTTP Basic or the login page",
          !sessionEnded);
    }
    String back = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    return context.redirect(
        request.getContextPath()
            + "/login.xhtml?next="
            + URLEncoder.encode(back, StandardCharsets.UTF_8));
  }

  /** The login page's form: a session for this person, under a new id (no session fixation). */
  private AuthenticationStatus signIn(
      HttpServletRequest request, HttpMessageContext context, Credential credential) {
    CredentialValidationResult result = identityStores.validate(credential);
    if (result.getStatus() != CredentialValidationResult.Status.VALID) {
      return AuthenticationStatus.SEND_FAILURE;
    }
    String name = result.getCallerPrincipal().getName();
    Set<String> roles = Set.copyOf(result.getCallerGroups());
    request.getSession(true);
    request.changeSessionId();
    request.getSession().setAttribute(SESSION_IDENTITY, new Caller.Identity(name, roles));
    return context.notifyContainerAboutLogin(name, roles);
  }

  private AuthenticationStatus basic(
      String authorization,
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context) {
    String[] scheme = authorization.trim().split("\\s+", 2);
    if (scheme.length != 2 || !scheme[0].equalsIgnoreCase("Basic")) {
      return unauthorized(response, context, "Only HTTP Basic is understood here");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(scheme[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return unauthorized(response, context, "The Basic credentials are not Base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 1) {
      return unauthorized(response, context, "The Basic credentials are not name:password");
    }
    CredentialValidationResult result =
        identityStores.validate(
            new UsernamePasswordCredential(
                decoded.substring(0, colon), decoded.substring(colon + 1)));
    if (result.getStatus() != CredentialValidationResult.Status.VALID) {
      return unauthorized(response, context, "Wrong user name or password");
    }
    return context.notifyContainerAboutLogin(
        result.getCallerPrincipal().getName(), Set.copyOf(result.getCallerGroups()));
  }

  private static AuthenticationStatus unauthorized(
      HttpServletResponse response, HttpMessageContext context, String detail) {
    return unauthorized(response, context, detail, true);
  }

  private static AuthenticationStatus unauthorized(
      HttpServletResponse response, HttpMessageContext context, String detail, boolean basic) {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader(
        "WWW-Authenticate",
        basic ? "Basic realm=\"scriptcast\", charset=\"UTF-8\"" : "Form realm=\"scriptcast\"");
    response.setContentType("application/problem+json");
    try {
      response
          .getWriter()
          .write(
              "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                  + detail
                  + "\"}");
    } catch (IOException e) {
      // the client is gone
    }
    return AuthenticationStatus.SEND_FAILURE;
  }
}
