// Prints a password hash for the users file (scriptcast.users), in the format of Jakarta
// Security's Pbkdf2PasswordHash: PBKDF2WithHmacSHA256:ITERATIONS:BASE64SALT:BASE64HASH.
//
//   java server-config/hash-password.java            asks for the password (not echoed)
//   echo -n secret | java server-config/hash-password.java    reads it from standard input
//   java server-config/hash-password.java 1000       fewer iterations (tests only: faster, weaker)
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

class HashPassword {
  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 210_000;
    Console console = System.console();
    char[] password =
        console != null
            ? console.readPassword("Password: ")
            : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).toCharArray();
    byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    byte[] hash =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(password, salt, iterations, 256))
            .getEncoded();
    Base64.Encoder base64 = Base64.getEncoder();
    System.out.println(
        "PBKDF2WithHmacSHA256:" + iterations + ":" + base64.encodeToString(salt) + ":"
            + base64.encodeToString(hash));
  }
}
