package org.scriptcast.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedPasswordsTest {

  final AtomicLong now = new AtomicLong(42);
  final VerifiedPasswords verified = new VerifiedPasswords(now::get);

  @Test
  void aVerifiedPasswordIsKnownAgainForItsUserAndHash() {
    verified.remember("alice", "s3cret-é".toCharArray(), "hash-1");
    assertTrue(verified.knows("alice", "s3cret-é".toCharArray(), "hash-1"));
  }

  @Test
  void aWrongPasswordAnotherUserOrAnotherHashIsNotKnown() {
    verified.remember("alice", "s3cret".toCharArray(), "hash-1");
    assertFalse(verified.knows("alice", "s3cret!".toCharArray(), "hash-1"));
    assertFalse(verified.knows("alice", "".toCharArray(), "hash-1"));
    assertFalse(verified.knows("bob", "s3cret".toCharArray(), "hash-1"));
    // the users file now has another hash for alice: her old password is checked again
    assertFalse(verified.knows("alice", "s3cret".toCharArray(), "hash-2"));
  }

  @Test
  void itIsForgottenAfterItsTime() {
    verified.remember("alice", "s3cret".toCharArray(), "hash-1");
    now.addAndGet(VerifiedPasswords.KEPT.toNanos() - 1);
    assertTrue(verified.knows("alice", "s3cret".toCharArray(), "hash-1"));
    now.incrementAndGet();
    assertFalse(verified.knows("alice", "s3cret".toCharArray(), "hash-1"));
  }

  @Test
  void aUserHasOnlyTheLastVerifiedPassword() {
    verified.remember("alice", "old".toCharArray(), "hash-1");
    verified.remember("alice", "new".toCharArray(), "hash-2");
    assertFalse(verified.knows("alice", "old".toCharArray(), "hash-1"));
    assertTrue(verified.knows("alice", "new".toCharArray(), "hash-2"));
  }
}
