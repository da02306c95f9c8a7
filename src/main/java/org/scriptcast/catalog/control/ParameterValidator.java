package org.scriptcast.catalog.control;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scriptcast.catalog.entity.Parameter;
import org.scriptcast.catalog.entity.Script;

/**
 * Checks the parameters of a start request against a script's declaration and reports every bad
 * field at once. Values are never coerced: {@code "5"} is not an integer and {@code "true"} is not
 * a boolean, so what a user sent is exactly what runs.
 */
public final class ParameterValidator {

  /** One bad field of a request. */
  public record FieldError(String field, String message) {}

  /**
   * The outcome: the effective values (given or default, in declaration order) or the errors.
   * Exactly one of the two is non-empty when the request is bad.
   */
  public record Outcome(Map<String, JsonValue> values, List<FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private ParameterValidator() {}

  public static Outcome validate(Script script, JsonObject params) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : params.keySet()) {
      if (script.parameter(name) == null) {
        errors.add(new FieldError(name, "is not a parameter of " + script.name()));
      }
    }
    Map<String, JsonValue> values = new LinkedHashMap<>();
    for (Parameter parameter : script.parameters()) {
      JsonValue value = params.get(parameter.name());
      if (value == null || value == JsonValue.NULL) {
        value = parameter.defaultValue();
      }
      if (value == null) {
        if (parameter.required()) {
          errors.add(new FieldError(parameter.name(), "is required"));
        }
        continue;
      }
      String error = check(parameter, value);
      if (error != null) {
        errors.add(new FieldError(parameter.name(), error));
      } else {
        values.put(parameter.name(), value);
      }
    }
    return errors.isEmpty()
        ? new Outcome(values, List.of())
        : new Outcome(Map.of(), List.copyOf(errors));
  }

  /** Null when {@code value} is acceptable for {@code parameter}, else what is wrong with it. */
  static String check(Parameter parameter, JsonValue value) {
    switch (parameter.type()) {
      case INTEGER:
        if (value instanceof JsonNumber number && number.isIntegral()) {
          try {
            number.longValueExact();
            return null;
          } catch (ArithmeticException e) {
            return "is too large";
          }
        }
        return "must be an integer";
      case BOOLEAN:
        return value == JsonValue.TRUE || value == JsonValue.FALSE ? null : "must be true or false";
      case CHOICE:
        if (value instanceof JsonString text && parameter.choices().contains(text.getString())) {
          return null;
        }
        return "must be one of " + String.join(", ", parameter.choices());
      case STRING:
      default:
        if (!(value instanceof JsonString text)) {
          return "must be a string";
        }
        if (parameter.pattern() != null
            && !parameter.pattern().matcher(text.getString()).matches()) {
          return "must match " + parameter.pattern().pattern();
        }
        return null;
    }
  }
}
