package org.scriptcast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsersIdentityStoreTest {

  static final Users.User ALICE =
      new Users.User("alice", PasswordHashes.hash("alice-password".toCharArray()), Set.of("ops"));

  final UsersIdentityStore store = new UsersIdentityStore();

  UsersIdentityStoreTest() {
    store.users =
        new Users() {
          @Override
          public Optional<User> find(String name) {
            return Optional.of(ALICE).filter(u -> u.name().equals(name));
          }
        };
  }

  CredentialValidationResult.Status check(String name, String password) {
    return store.validate(new UsernamePasswordCredential(name, password)).getStatus();
  }

  @Test
  void aVerifiedPasswordDoesNotLetAWrongOneThrough() {
    assertEquals(CredentialValidationResult.Status.VALID, check("alice", "alice-password"));
    // now known without PBKDF2; a wrong one must still fail, and the right one still pass
    assertEquals(CredentialValidationResult.Status.INVALID, check("alice", "alice-passwort"));
    assertEquals(CredentialValidationResult.Status.INVALID, check("alice", ""));
    assertEquals(CredentialValidationResult.Status.VALID, check("alice", "alice-password"));
    assertEquals(
        Set.of("ops"),
        store
            .validate(new UsernamePasswordCredential("alice", "alice-password"))
            .getCallerGroups());
  }

  @Test
  void anUnknownNameFailsWithAnyPassword() {
    assertEquals(CredentialValidationResult.Status.INVALID, check("bob", "alice-password"));
    assertEquals(CredentialValidationResult.Status.INVALID, check("", ""));
  }
}
