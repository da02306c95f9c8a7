package org.scriptcast.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.OpenIdAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.openid.ClaimsDefinition;

/**
 * Jakarta Security's own OpenID Connect mechanism, configured from {@link OidcSettings}. Jakarta
 * Security 3 allows one mechanism per application, so {@link LoginSwitch} keeps either this one
 * (when {@code scriptcast.oidc.issuer} is set) or {@link ScriptcastAuthentication}.
 */
@ApplicationScoped
@OpenIdAuthenticationMechanismDefinition(
    providerURI = "${oidcSettings.issuer}",
    clientId = "${oidcSettings.clientId}",
    clientSecret = "${oidcSettings.clientSecret}",
    redirectURI = "${baseURL}/oidc-callback",
    redirectToOriginalResource = true,
    claimsDefinition =
        @ClaimsDefinition(
            callerNameClaim = "${oidcSettings.nameClaim}",
            callerGroupsClaim = "${oidcSettings.rolesClaim}"))
public class OidcLogin {}
