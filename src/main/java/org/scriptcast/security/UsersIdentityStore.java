package org.scriptcast.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.logging.Logger;

/**
 * Checks names and passwords against the users file; a failed login is logged, never its password.
 */
@ApplicationScoped
public class UsersIdentityStore implements IdentityStore {

  private static final Logger LOG = Logger.getLogger(UsersIdentityStore.class.getName());

  @Inject Users users;

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String name = credential.getCaller();
    boolean valid =
        users
            .find(name)
            .filter(
                user ->
                    PasswordHashes.verify(credential.getPassword().getValue(), user.passwordHash()))
            .isPresent();
    if (!valid) {
      LOG.warning(() -> "Failed login for user name \"" + printable(name) + "\"");
      return CredentialValidationResult.INVALID_RESULT;
    }
    return new CredentialValidationResult(name, users.find(name).orElseThrow().roles());
  }

  /** A user name as typed, safe for one log line. */
  private static String printable(String name) {
    return name == null ? "" : name.replaceAll("[\\p{Cntrl}\"]", "?");
  }
}
