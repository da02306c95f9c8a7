package org.scriptcast.security;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Chooses the login at start-up: OpenID Connect ({@link OidcLogin}) when {@code
 * scriptcast.oidc.issuer} is set, else the built-in users ({@link ScriptcastAuthentication}). The
 * other one is removed before the container sees it. An OpenID Connect configuration that cannot
 * work stops the deployment with a message that names the key to fix.
 */
public class LoginSwitch implements Extension {

  private static final Logger LOG = Logger.getLogger(LoginSwitch.class.getName());

  private final Config config = ConfigProvider.getConfig(LoginSwitch.class.getClassLoader());
  private final boolean oidc = OidcSettings.enabled(config);

  void keepOneLogin(@Observes ProcessAnnotatedType<?> type) {
    Class<?> login = type.getAnnotatedType().getJavaClass();
    if (login == (oidc ? ScriptcastAuthentication.class : OidcLogin.class)) {
      type.veto();
    }
  }

  void checkConfiguration(@Observes AfterDeploymentValidation validation) {
    if (!oidc) {
      return;
    }
    List<String> problems = new ArrayList<>();
    String issuer = config.getValue(OidcSettings.ISSUER, String.class).trim();
    URI issuerUri = null;
    try {
      issuerUri = URI.create(issuer);
      if (!"https".equals(issuerUri.getScheme()) && !"http".equals(issuerUri.getScheme())) {
        problems.add(OidcSettings.ISSUER + " must be an http(s) URL, not \"" + issuer + "\"");
      }
    } catch (IllegalArgumentException e) {
      problems.add(OidcSettings.ISSUER + " is not a URL: \"" + issuer + "\"");
    }
    for (String key : List.of(OidcSettings.CLIENT_ID, OidcSettings.CLIENT_SECRET)) {
      if (config.getOptionalValue(key, String.class).filter(v -> !v.isBlank()).isEmpty()) {
        problems.add(key + " is required when " + OidcSettings.ISSUER + " is set");
      }
    }
    if (!problems.isEmpty()) {
      validation.addDeploymentProblem(
          new IllegalStateException(
              "scriptcast OpenID Connect configuration: " + String.join("; ", problems)));
      return;
    }
    warnIfUnreachable(issuerUri);
  }

  /** A provider that cannot be reached is only a warning: it may come up after this server. */
  private static void warnIfUnreachable(URI issuer) {
    String discovery =
        issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    try {
      HttpResponse<Void> answer =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(discovery))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() != 200) {
        LOG.warning(
            () -> "scriptcast OpenID Connect: " + discovery + " answered " + answer.statusCode());
      } else {
        LOG.info(() -> "scriptcast OpenID Connect: logins go to " + issuer);
      }
    } catch (Exception e) {
      LOG.warning(
          () ->
              "scriptcast OpenID Connect: cannot reach "
                  + discovery
                  + " ("
                  + e
                  + "); logins will fail until it answers");
    }
  }
}
