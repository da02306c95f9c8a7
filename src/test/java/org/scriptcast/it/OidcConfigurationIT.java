package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect is switched on by configuration. A configuration that cannot work must stop the
 * deployment with a message that names what to fix, not fail later at someone's login; and with a
 * provider that is not there, nothing may be served without a login.
 */
class OidcConfigurationIT {

  private static final Path DATA = Path.of("target", "oidc-data").toAbsolutePath();
  private static final String ISSUER = "-Dscriptcast.oidc.issuer=http://127.0.0.1:9/realms/ops";

  @Test
  void anIncompleteConfigurationStopsTheDeploymentAndNamesTheMissingKeys() throws Exception {
    try (MicroServer server = MicroServer.startUntilReady(DATA, "oidc-incomplete", ISSUER)) {
      String log = server.log();
      assertTrue(
          log.contains(
              "scriptcast OpenID Connect configuration: scriptcast.oidc.clientId is required"),
          "see target/oidc-incomplete.log");
      assertTrue(log.contains("scriptcast.oidc.clientSecret is required"));
      assertFalse(log.contains("scriptcast was successfully deployed"));
    }
  }

  @Test
  void anUnreachableProviderIsReportedAndNothingIsServedWithoutALogin() throws Exception {
    try (MicroServer server =
        MicroServer.startUntilReady(
            DATA,
            "oidc-unreachable",
            ISSUER,
            "-Dscriptcast.oidc.clientId=scriptcast",
            "-Dscriptcast.oidc.clientSecret=s3cret")) {
      String log = server.log();
      assertTrue(
          log.contains("scriptcast was successfully deployed"), "see target/oidc-unreachable.log");
      assertTrue(
          log.contains(
              "scriptcast OpenID Connect: cannot reach http://127.0.0.1:9/realms/ops/.well-known/openid-configuration"));
      Api nobody = server.api.withAuthorization(null);
      assertNotEquals(200, nobody.get("api/scripts").statusCode());
      assertNotEquals(200, nobody.get("", "text/html").statusCode());
      // Basic is the built-in users' login, which OpenID Connect replaces
      assertNotEquals(200, server.api.get("api/scripts").statusCode());
    }
  }
}
