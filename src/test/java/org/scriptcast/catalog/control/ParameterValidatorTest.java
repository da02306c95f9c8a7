package org.scriptcast.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scriptcast.catalog.control.ParameterValidator.FieldError;
import org.scriptcast.catalog.entity.Script;

class ParameterValidatorTest {

  @TempDir Path folder;
  private Script script;

  @BeforeEach
  void declare() throws IOException {
    Files.writeString(
        folder.resolve("demo.json"),
        """
        { "command": ["/bin/true"], "parameters": [
            {"name": "name", "type": "string", "required": true, "pattern": "[a-z]+"},
            {"name": "count", "type": "integer", "default": 3},
            {"name": "loud", "type": "boolean"},
            {"name": "colour", "type": "choice", "choices": ["red", "green"]} ] }
        """);
    script = new CatalogReader().read(folder).scripts().get(0);
  }

  private static JsonObject json(String text) {
    return Json.createReader(new java.io.StringReader(text)).readObject();
  }

  @Test
  void validValuesPassWithDefaultsAdded() {
    ParameterValidator.Outcome outcome =
        ParameterValidator.validate(script, json("{\"name\": \"ada\", \"loud\": true}"));
    assertTrue(outcome.valid());
    assertEquals(Json.createValue("ada"), outcome.values().get("name"));
    assertEquals(Json.createValue(3), outcome.values().get("count"));
    assertEquals(JsonValue.TRUE, outcome.values().get("loud"));
    assertEquals(List.of("name", "count", "loud"), List.copyOf(outcome.values().keySet()));
  }

  @Test
  void everyBadFieldIsReportedAtOnce() {
    ParameterValidator.Outcome outcome =
        ParameterValidator.validate(
            script,
            json(
                "{\"name\": \"Ada1\", \"count\": \"3\", \"loud\": \"yes\", \"colour\": \"blue\", \"size\": 1}"));
    assertEquals(
        List.of(
            new FieldError("size", "is not a parameter of demo"),
            new FieldError("name", "must match [a-z]+"),
            new FieldError("count", "must be an integer"),
            new FieldError("loud", "must be true or false"),
            new FieldError("colour", "must be one of red, green")),
        outcome.errors());
  }

  @Test
  void aMissingRequiredValueIsAnError() {
    assertEquals(
        List.of(new FieldError("name", "is required")),
        ParameterValidator.validate(script, json("{}")).errors());
    assertEquals(
        List.of(new FieldError("name", "is required")),
        ParameterValidator.validate(script, json("{\"name\": null}")).errors());
  }

  @Test
  void thePatternMustMatchTheWholeValue() {
    assertEquals(
        List.of(new FieldError("name", "must match [a-z]+")),
        ParameterValidator.validate(script, json("{\"name\": \"abc; rm -rf /\"}")).errors());
  }

  @Test
  void anIntegerIsAJsonIntegerAndNothingElse() {
    for (String bad : List.of("1.5", "1.0", "\"1\"", "true", "99999999999999999999")) {
      assertEquals(
          1,
          ParameterValidator.validate(script, json("{\"name\": \"a\", \"count\": " + bad + "}"))
              .errors()
              .size(),
          bad);
    }
    assertTrue(
        ParameterValidator.validate(script, json("{\"name\": \"a\", \"count\": -12}")).valid());
  }
}
