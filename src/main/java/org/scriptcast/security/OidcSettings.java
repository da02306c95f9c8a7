package org.scriptcast.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * OpenID Connect login, switched on by {@code scriptcast.oidc.issuer}: the provider's issuer URL,
 * {@code scriptcast.oidc.clientId}, {@code scriptcast.oidc.clientSecret}, and the claims that name
 * the user ({@code scriptcast.oidc.nameClaim}, default {@code preferred_username}) and their roles
 * ({@code scriptcast.oidc.rolesClaim}, default {@code groups}). {@link OidcLogin} reads them here
 * through EL.
 */
@Named("oidcSettings")
@ApplicationScoped
public class OidcSettings {

  static final String ISSUER = "scriptcast.oidc.issuer";
  static final String CLIENT_ID = "scriptcast.oidc.clientId";
  static final String CLIENT_SECRET = "scriptcast.oidc.clientSecret";

  private final Config config = ConfigProvider.getConfig(OidcSettings.class.getClassLoader());

  /** True when the configuration asks for OpenID Connect instead of the built-in users. */
  static boolean enabled(Config config) {
    return config.getOptionalValue(ISSUER, String.class).isPresent();
  }

  /** For the pages: true when people sign in at the provider. */
  public boolean isEnabled() {
    return enabled(config);
  }

  public String getIssuer() {
    return value(ISSUER, "");
  }

  public String getClientId() {
    return value(CLIENT_ID, "");
  }

  public String getClientSecret() {
    return value(CLIENT_SECRET, "");
  }

  public String getNameClaim() {
    return value("scriptcast.oidc.nameClaim", "preferred_username");
  }

  public String getRolesClaim() {
    return value("scriptcast.oidc.rolesClaim", "groups");
  }

  private String value(String key, String fallback) {
    Optional<String> value = config.getOptionalValue(key, String.class);
    return value.orElse(fallback);
  }
}
