package org.scriptcast.catalog.boundary;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.scriptcast.catalog.entity.Parameter;
import org.scriptcast.catalog.entity.Script;

/**
 * A catalog entry as the API shows it. The command, environment and working directory stay on the
 * server: a user needs the parameters, not the operator's paths.
 */
final class ScriptJson {

  private ScriptJson() {}

  static JsonObject of(Script script) {
    JsonArrayBuilder parameters = JSON.createArrayBuilder();
    script.parameters().forEach(parameter -> parameters.add(of(parameter)));
    return JSON.createObjectBuilder()
        .add("name", script.name())
        .add("title", script.title())
        .add("description", script.description())
        .add("parameters", parameters)
        .add("timeoutSeconds", script.timeoutSeconds())
        .build();
  }

  private static JsonObjectBuilder of(Parameter parameter) {
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("name", parameter.name())
            .add("type", parameter.type().json())
            .add("required", parameter.required())
            .add(
                "default",
                parameter.defaultValue() == null || parameter.secret()
                    ? JsonValue.NULL
                    : parameter.defaultValue())
            .add(
                "pattern",
                parameter.pattern() == null
                    ? JsonValue.NULL
                    : JSON.createValue(parameter.pattern().pattern()));
    if (parameter.choices().isEmpty()) {
      json.addNull("choices");
    } else {
      json.add("choices", JSON.createArrayBuilder(parameter.choices()));
    }
    return json.add("description", parameter.description()).add("secret", parameter.secret());
  }
}
