package org.scriptcast.catalog.control;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.scriptcast.catalog.entity.Parameter;
import org.scriptcast.catalog.entity.ParameterType;
import org.scriptcast.catalog.entity.Script;

/**
 * Reads a catalog folder: one {@code NAME.json} per script. A file that does not parse or is
 * invalid becomes a {@link Problem} with its name and the reason, and the others still load. Strict
 * on purpose: a misspelt key (say {@code "role"}) would otherwise silently change who may run a
 * script.
 */
public final class CatalogReader {

  public static final Pattern SCRIPT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  static final int DEFAULT_TIMEOUT_SECONDS = 3600;

  private static final Set<String> SCRIPT_KEYS =
      Set.of(
          "title",
          "description",
          "command",
          "workingDirectory",
          "timeoutSeconds",
          "roles",
          "maxConcurrent",
          "env",
          "parameters");
  private static final Set<String> PARAMETER_KEYS =
      Set.of("name", "type", "required", "default", "pattern", "choices", "description", "secret");

  /** A catalog file left out, and why. */
  public record Problem(String file, String reason) {}

  /** What a folder held: the valid scripts, sorted by name, and the files left out. */
  public record Result(List<Script> scripts, List<Problem> problems) {}

  public Result read(Path folder) {
    List<Script> scripts = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      problems.add(new Problem(folder.toString(), "the catalog folder does not exist"));
      return new Result(scripts, problems);
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.json")) {
      entries.forEach(files::add);
    } catch (IOException e) {
      problems.add(new Problem(folder.toString(), "cannot list the folder: " + e.getMessage()));
    }
    files.sort(null);
    for (Path file : files) {
      String fileName = file.getFileName().toString();
      try {
        scripts.add(readScript(folder, file));
      } catch (InvalidEntry e) {
        problems.add(new Problem(fileName, e.getMessage()));
      }
    }
    return new Result(List.copyOf(scripts), List.copyOf(problems));
  }

  private Script readScript(Path folder, Path file) {
    String fileName = file.getFileName().toString();
    String name = fileName.substring(0, fileName.length() - ".json".length());
    if (!SCRIPT_NAME.matcher(name).matches()) {
      throw new InvalidEntry("the name must match " + SCRIPT_NAME.pattern());
    }
    JsonObject json;
    try (JsonReader reader = JSON.createReader(Files.newBufferedReader(file))) {
      json = reader.readObject();
    } catch (JsonParsingException e) {
      throw new InvalidEntry("not valid JSON: " + e.getMessage());
    } catch (JsonException | IOException e) {
      throw new InvalidEntry("cannot read it: " + e.getMessage());
    }
    unknownKeys(json, SCRIPT_KEYS, "");
    List<Parameter> parameters = parameters(json);
    List<String> command = strings(json, "command", true);
    if (command.isEmpty()) {
      throw new InvalidEntry("command must name a program");
    }
    checkPlaceholders(command, parameters);
    String program = command.get(0);
    if (PLACEHOLDER.matcher(program).find()) {
      throw new InvalidEntry("command[0] is the program and cannot hold a parameter");
    }
    List<String> argv = new ArrayList<>(command);
    argv.set(0, folder.resolve(program).normalize().toString());
    Path workingDirectory = folder.resolve(string(json, "workingDirectory", ".")).normalize();
    return new Script(
        name,
        string(json, "title", name),
        string(json, "description", ""),
        List.copyOf(argv),
        workingDirectory,
        positive(json, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
        strings(json, "roles", false),
        positive(json, "maxConcurrent", 0),
        env(json),
        parameters);
  }

  private List<Parameter> parameters(JsonObject json) {
    JsonValue value = json.get("parameters");
    if (value == null || value == JsonValue.NULL) {
      return List.of();
    }
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new InvalidEntry("parameters must be an array");
    }
    List<Parameter> parameters = new ArrayList<>();
    for (JsonValue item : value.asJsonArray()) {
      if (item.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new InvalidEntry("each parameter must be an object");
      }
      Parameter parameter = parameter(item.asJsonObject());
      for (Parameter other : parameters) {
        if (other.name().equals(parameter.name())) {
          throw new InvalidEntry("parameter " + parameter.name() + " is declared twice");
        }
        // names that differ only in case would share one variable, and one value would be lost
        if (other.environmentName().equals(parameter.environmentName())) {
          throw new InvalidEntry(
              "parameters "
                  + other.name()
                  + " and "
                  + parameter.name()
                  + " would both be "
                  + parameter.environmentName());
        }
      }
      parameters.add(parameter);
    }
    return List.copyOf(parameters);
  }

  private Parameter parameter(JsonObject json) {
    String name = string(json, "name", null);
    if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
      throw new InvalidEntry("a parameter name must match " + PARAMETER_NAME.pattern());
    }
    String where = "parameter " + name + ": ";
    unknownKeys(json, PARAMETER_KEYS, where);
    String typeName = string(json, "type", "string");
    ParameterType type = ParameterType.of(typeName);
    if (type == null) {
      throw new InvalidEntry(where + "unknown type " + typeName);
    }
    List<String> choices = strings(json, "choices", false);
    if (type == ParameterType.CHOICE && choices.isEmpty()) {
      throw new InvalidEntry(where + "a choice needs choices");
    }
    if (type != ParameterType.CHOICE && !choices.isEmpty()) {
      throw new InvalidEntry(where + "only a choice has choices");
    }
    String regex = string(json, "pattern", null);
    Pattern pattern = null;
    if (regex != null) {
      if (type != ParameterType.STRING) {
        throw new InvalidEntry(where + "only a string has a pattern");
      }
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new InvalidEntry(where + "bad pattern: " + e.getDescription());
      }
    }
    JsonValue defaultValue = json.get("default");
    if (defaultValue == JsonValue.NULL) {
      defaultValue = null;
    }
    Parameter parameter =
        new Parameter(
            name,
            type,
            bool(json, "required"),
            defaultValue,
            pattern,
            choices,
            string(json, "description", ""),
            bool(json, "secret"));
    if (defaultValue != null) {
      String error = ParameterValidator.check(parameter, defaultValue);
      if (error != null) {
        throw new InvalidEntry(where + "the default " + error);
      }
    }
    return parameter;
  }

  private static void checkPlaceholders(List<String> command, List<Parameter> parameters) {
    for (String element : command) {
      Matcher matcher = PLACEHOLDER.matcher(element);
      while (matcher.find()) {
        String name = matcher.group(1);
        if (parameters.stream().noneMatch(p -> p.name().equals(name))) {
          throw new InvalidEntry("command uses ${" + name + "}, which is not a declared parameter");
        }
      }
    }
  }

  private static Map<String, String> env(JsonObject json) {
    JsonValue value = json.get("env");
    if (value == null || value == JsonValue.NULL) {
      return Map.of();
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new InvalidEntry("env must be an object of strings");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> entry : value.asJsonObject().entrySet()) {
      String name = entry.getKey();
      if (!ENV_NAME.matcher(name).matches()) {
        throw new InvalidEntry("env name " + name + " is not a valid variable name");
      }
      if (name.startsWith("PARAM_") || name.equals(CommandLine.RUN_ID_VARIABLE)) {
        throw new InvalidEntry("env name " + name + " is reserved for scriptcast");
      }
      if (!(entry.getValue() instanceof JsonString text)) {
        throw new InvalidEntry("env " + name + " must be a string");
      }
      env.put(name, text.getString());
    }
    return Map.copyOf(env);
  }

  private static void unknownKeys(JsonObject json, Set<String> known, String where) {
    for (String key : json.keySet()) {
      if (!known.contains(key)) {
        throw new InvalidEntry(where + "unknown key " + key);
      }
    }
  }

  private static String string(JsonObject json, String key, String fallback) {
    JsonValue value = json.get(key);
    if (value == null || value == JsonValue.NULL) {
      return fallback;
    }
    if (value instanceof JsonString text) {
      return text.getString();
    }
    throw new InvalidEntry(key + " must be a string");
  }

  private static boolean bool(JsonObject json, String key) {
    JsonValue value = json.get(key);
    if (value == null || value == JsonValue.NULL || value == JsonValue.FALSE) {
      return false;
    }
    if (value == JsonValue.TRUE) {
      return true;
    }
    throw new InvalidEntry(key + " must be true or false");
  }

  private static int positive(JsonObject json, String key, int fallback) {
    JsonValue value = json.get(key);
    if (value == null || value == JsonValue.NULL) {
      return fallback;
    }
    if (value instanceof jakarta.json.JsonNumber number
        && number.isIntegral()
        && number.longValue() > 0
        && number.longValue() <= Integer.MAX_VALUE) {
      return number.intValue();
    }
    throw new InvalidEntry(key + " must be a positive integer");
  }

  private static List<String> strings(JsonObject json, String key, boolean required) {
    JsonValue value = json.get(key);
    if (value == null || value == JsonValue.NULL) {
      if (required) {
        throw new InvalidEntry(key + " is required");
      }
      return List.of();
    }
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new InvalidEntry(key + " must be an array of strings");
    }
    List<String> strings = new ArrayList<>();
    for (JsonValue item : (JsonArray) value) {
      if (!(item instanceof JsonString text)) {
        throw new InvalidEntry(key + " must be an array of strings");
      }
      strings.add(text.getString());
    }
    return List.copyOf(strings);
  }

  private static final class InvalidEntry extends RuntimeException {
    InvalidEntry(String reason) {
      super(reason, null, false, false);
    }
  }
}
