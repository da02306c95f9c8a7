package org.scriptcast.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.logging.Logger;

/**
 * Checks names and passwords against the users file; a failed login is logged, never its password.
 * A password verified lately is known again without PBKDF2 ({@link VerifiedPasswords}).
 */
@ApplicationScoped
public class UsersIdentityStore implements IdentityStore {

  private static final Logger LOG = Logger.getLogger(UsersIdentityStore.class.getName());

  @Inject Users users;

  private final VerifiedPasswords verified = new VerifiedPasswords();

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String name = credential.getCaller();
    char[] password = credential.getPassword().getValue();
    Users.User user = users.find(name).orElse(null);
    if (user == null) {
      // as long as a wrong password takes: the answer's time does not tell which names exist
      PasswordHashes.verify(password, NoSuchUser.HASH);
    }
    if (user == null || !matches(user, password)) {
      LOG.warning(() -> "Failed login for user name \"" + printable(name) + "\"");
      return CredentialValidationResult.INVALID_RESULT;
    }
    return new CredentialValidationResult(name, user.roles());
  }

  private boolean matches(Users.User user, char[] password) {
    if (verified.knows(user.name(), password, user.passwordHash())) {
      return true;
    }
    boolean matches = PasswordHashes.verify(password, user.passwordHash());
    if (matches) {
      verified.remember(user.name(), password, user.passwordHash());
    }
    return matches;
  }

  /** Made at the first unknown name, not at start-up: PBKDF2 is what takes the time. */
  private static final class NoSuchUser {
    static final String HASH = PasswordHashes.hash(PasswordHashes.randomPassword().toCharArray());
  }

  /** A user name as typed, safe for one log line. */
  private static String printable(String name) {
    return name == null ? "" : name.replaceAll("[\\p{Cntrl}\"]", "?");
  }
}
