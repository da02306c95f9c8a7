package org.scriptcast.catalog.entity;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One declared parameter of a script.
 *
 * @param defaultValue the JSON default, already checked against the type; null when none
 * @param pattern compiled once at catalog load; matched against the whole value
 * @param secret masked as {@code ***} wherever a run shows its parameters
 */
public record Parameter(
    String name,
    ParameterType type,
    boolean required,
    JsonValue defaultValue,
    Pattern pattern,
    List<String> choices,
    String description,
    boolean secret) {

  /** The default in text form, as a form field shows it; empty when there is none. */
  public String defaultText() {
    return defaultValue == null ? "" : text(defaultValue);
  }

  /** The text form of a valid value, as it goes into argv and the environment. */
  public static String text(JsonValue value) {
    if (value instanceof JsonString string) {
      return string.getString();
    }
    if (value instanceof JsonNumber number) {
      return number.bigIntegerValueExact().toString();
    }
    return value.toString();
  }

  /** The name of the process environment variable that carries the value. */
  public String environmentName() {
    return "PARAM_" + name.toUpperCase(Locale.ROOT);
  }
}
