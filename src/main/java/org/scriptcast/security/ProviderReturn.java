package org.scriptcast.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The way back from the OpenID Connect provider. After the code is exchanged, the container sends
 * the browser to the page it first asked for, with the provider's {@code code} and {@code state} in
 * place of that page's own query, and serves that request through a stand-in for the first request
 * (Soteria's {@code HttpServletRequestDelegator}) that lost its parameters and locales: {@code
 * getParameterMap()} is null, {@code getParameter} and {@code getLocales} throw a
 * NullPointerException (soteria#333, open). Faces turned that into a 500 on every user's first page
 * after signing in. Here that one request is sent on to the same page without the query: a plain
 * request of the now signed-in session, and no spent code left in the address bar.
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
      response.sendRedirect(request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
  }
}
