package org.scriptcast.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Headers that keep pages from being turned against their users: no script but the page's own files
 * (no inline script, so injected markup cannot run), no framing, no content sniffing. Forms post to
 * this site only; with OpenID Connect also to the provider's origin, since browsers (Chrome,
 * Safari) hold a form's redirects to {@code form-action} too, and signing out, or posting a form
 * after the session ended, is redirected there.
 */
// async: the event streams and long polls pass through it
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

  private static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'%s; base-uri 'none'";

  private String policy;

  @Override
  public void init() {
    Config config = ConfigProvider.getConfig(SecurityHeaders.class.getClassLoader());
    policy = String.format(POLICY, OidcSettings.enabled(config) ? providerOrigin(config) : "");
  }

  /** The issuer's scheme, host and port (LoginSwitch stops a deployment whose issuer is no URL). */
  private static String providerOrigin(Config config) {
    try {
      URI issuer = URI.create(config.getValue(OidcSettings.ISSUER, String.class).trim());
      return " " + issuer.getScheme() + "://" + issuer.getRawAuthority();
    } catch (IllegalArgumentException notAUrl) {
      return "";
    }
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", policy);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "same-origin");
    chain.doFilter(request, response);
  }
}
