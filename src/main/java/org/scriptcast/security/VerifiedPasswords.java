package org.scriptcast.security;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each user's password as last verified, for {@link #KEPT}. An API client sends its password with
 * every request (HTTP Basic), and PBKDF2 with 210,000 iterations took 51 to 58 ms of the HTTP
 * thread's CPU per request on the 2-core machine: a script polling the API, or a thousand followers
 * connecting, paid that every time. As in Elasticsearch's realm cache, the password is kept only as
 * an HMAC under a key that exists only in this process's memory, beside the stored hash it matched:
 * a changed users file does not match it. Only successes are kept, so a wrong password still pays
 * the whole PBKDF2 and guessing stays as slow as before; one entry per user of the file at most.
 */
final class VerifiedPasswords {

  static final Duration KEPT = Duration.ofMinutes(5);

  private record Verified(String passwordHash, byte[] mac, long until) {}

  private final SecretKeySpec key;
  private final LongSupplier nanoClock;
  private final Map<String, Verified> byName = new ConcurrentHashMap<>();

  VerifiedPasswords() {
    this(System::nanoTime);
  }

  VerifiedPasswords(LongSupplier nanoClock) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.nanoClock = nanoClock;
  }

  /** True when {@code password} is the one last verified against this very hash, lately. */
  boolean knows(String name, char[] password, String passwordHash) {
    Verified verified = byName.get(name);
    return verified != null
        && verified.passwordHash.equals(passwordHash)
        && nanoClock.getAsLong() - verified.until < 0
        && MessageDigest.isEqual(verified.mac, mac(password));
  }

  /** Call only after PBKDF2 said {@code password} matches {@code passwordHash}. */
  void remember(String name, char[] password, String passwordHash) {
    byName.put(
        name, new Verified(passwordHash, mac(password), nanoClock.getAsLong() + KEPT.toNanos()));
  }

  private byte[] mac(char[] password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot compute HmacSHA256", e);
    }
  }
}
