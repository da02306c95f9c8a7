package org.scriptcast.security;

import jakarta.security.enterprise.authentication.mechanism.http.openid.OpenIdConstant;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The way back from the OpenID Connect provider. After the code is exchanged, the container sends
 * the browser to the page it first asked for, but with the provider's {@code code} and {@code
 * state} in place of that page's own query ({@code run.xhtml?id=…} came back as {@code
 * run.xhtml?code=…&state=…}), and serves that request through a stand-in for the first request
 * (Soteria's {@code HttpServletRequestDelegator}) that lost its parameters and locales: {@code
 * getParameterMap()} is null, {@code getParameter} and {@code getLocales} throw a
 * NullPointerException (soteria#333, open). Faces turned that into a 500 on every user's first page
 * after signing in. Here that one request is sent on to the page first asked for, query included,
 * as the mechanism kept it in the session: a plain request of the now signed-in session, and no
 * spent code left in the address bar.
 */
// async: the event streams and long polls pass through it
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ProviderReturn extends HttpFilter {

  private boolean oidc;

  @Override
  public void init() {
    oidc = OidcSettings.enabled(ConfigProvider.getConfig(ProviderReturn.class.getClassLoader()));
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (oidc && request.getParameterMap() == null) {
      response.sendRedirect(firstAskedFor(request));
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * The path and query of the page first asked for, from the session; only ever a path of this
   * application (never another host, nor a "//host" path that a browser would take for one).
   */
  private static String firstAskedFor(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object kept = session == null ? null : session.getAttribute(OpenIdConstant.ORIGINAL_REQUEST);
    if (kept instanceof String url) {
      try {
        URI first = URI.create(url);
        String path = first.getRawPath();
        if (path != null
            && path.startsWith(request.getContextPath() + "/")
            && !path.startsWith("//")) {
          return first.getRawQuery() == null ? path : path + "?" + first.getRawQuery();
        }
      } catch (IllegalArgumentException notAUrl) {
        // the page itself, below
      }
    }
    return request.getRequestURI();
  }
}
