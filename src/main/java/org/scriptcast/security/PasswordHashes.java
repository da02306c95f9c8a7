package org.scriptcast.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes in the format of Jakarta Security's {@code Pbkdf2PasswordHash}: {@code
 * ALGORITHM:ITERATIONS:BASE64SALT:BASE64HASH}, e.g. {@code PBKDF2WithHmacSHA256:210000:...:...}.
 * {@code server-config/hash-password.java} makes them for the users file.
 */
final class PasswordHashes {

  static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  static final int ITERATIONS = 210_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashes() {}

  static String hash(char[] password) {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder();
    return ALGORITHM
        + ":"
        + ITERATIONS
        + ":"
        + base64.encodeToString(salt)
        + ":"
        + base64.encodeToString(pbkdf2(ALGORITHM, password, salt, ITERATIONS, 32));
  }

  /** True when {@code password} matches; false for a wrong password or a malformed hash. */
  static boolean verify(char[] password, String hash) {
    String[] parts = hash.split(":");
    if (parts.length != 4) {
      return false;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      byte[] actual = pbkdf2(parts[0], password, salt, Integer.parseInt(parts[1]), expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }

  private static byte[] pbkdf2(
      String algorithm, char[] password, byte[] salt, int iterations, int bytes) {
    try {
      return SecretKeyFactory.getInstance(algorithm)
          .generateSecret(new PBEKeySpec(password, salt, iterations, bytes * 8))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot compute " + algorithm, e);
    }
  }

  /** A password of 20 random letters and digits, for the first {@code admin}. */
  static String randomPassword() {
    String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return password.toString();
  }
}
