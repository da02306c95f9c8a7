package org.scriptcast.security;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.scriptcast.platform.Settings;

/**
 * The built-in users: {@code scriptcast.users}, a JSON file {@code {"users": [{"name",
 * "passwordHash", "roles"}]}}. Without one, the first start creates {@code users.json} in {@code
 * scriptcast.data} with an {@code admin} user and a random password, printed once to the log.
 */
@ApplicationScoped
public class Users {

  private static final Logger LOG = Logger.getLogger(Users.class.getName());

  /** A user of the file. */
  public record User(String name, String passwordHash, Set<String> roles) {}

  @Inject
  @ConfigProperty(name = "scriptcast.users")
  Optional<String> usersFile;

  @Inject Settings settings;

  private Map<String, User> users = Map.of();

  @PostConstruct
  void load() {
    Path file =
        usersFile.map(Path::of).orElseGet(() -> Path.of(settings.data()).resolve("users.json"));
    if (usersFile.isEmpty() && !Files.exists(file)) {
      createFirstAdmin(file);
    }
    users = read(file);
    LOG.info(() -> "Users " + file.toAbsolutePath().normalize() + ": " + users.keySet());
  }

  /** Reads (or creates) the users file at start-up, so the first admin's password shows at once. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {}

  public Optional<User> find(String name) {
    return Optional.ofNullable(users.get(name));
  }

  private static Map<String, User> read(Path file) {
    Map<String, User> read = new LinkedHashMap<>();
    try (Reader text = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        JsonReader json = JSON.createReader(text)) {
      for (JsonValue entry : json.readObject().getJsonArray("users")) {
        JsonObject user = entry.asJsonObject();
        JsonArray roles = user.getJsonArray("roles");
        read.put(
            user.getString("name"),
            new User(
                user.getString("name"),
                user.getString("passwordHash"),
                roles == null
                    ? Set.of()
                    : Set.copyOf(
                        roles.getValuesAs(JsonString.class).stream()
                            .map(JsonString::getString)
                            .toList())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the users file " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "The users file "
              + file
              + " is not {\"users\": [{\"name\", \"passwordHash\", \"roles\"}]}",
          e);
    }
    return read;
  }

  /** Like the first start of a CI server: a random admin password, shown once. */
  private static void createFirstAdmin(Path file) {
    String password = PasswordHashes.randomPassword();
    JsonObject content =
        JSON.createObjectBuilder()
            .add(
                "users",
                JSON.createArrayBuilder()
                    .add(
                        JSON.createObjectBuilder()
                            .add("name", "admin")
                            .add("passwordHash", PasswordHashes.hash(password.toCharArray()))
                            .add("roles", JSON.createArrayBuilder().add("admin"))))
            .build();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        // created 600: written first and restricted after, the hash was readable for a moment
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: created by the write below
      }
      Files.writeString(file, content.toString() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the users file " + file, e);
    }
    LOG.warning(
        () ->
            "\n\n*** scriptcast: first start. Created "
                + file.toAbsolutePath().normalize()
                + " with the user admin, password "
                + password
                + "\n*** This password is shown only this once. Sign in and keep it, or set"
                + " scriptcast.users to a users file of your own.\n");
  }
}
