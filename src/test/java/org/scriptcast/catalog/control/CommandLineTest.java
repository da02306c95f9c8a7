package org.scriptcast.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scriptcast.catalog.entity.Script;

class CommandLineTest {

  @TempDir Path folder;

  private Script script() throws IOException {
    Files.writeString(
        folder.resolve("echo.json"),
        """
        { "command": ["./echo.sh", "${text}", "--n=${n}", "--on=${on}", "${text}${text}", "${absent}"],
          "env": {"GREETING": "hi", "LANG": "de_DE.UTF-8"},
          "parameters": [
            {"name": "text"}, {"name": "n", "type": "integer"},
            {"name": "on", "type": "boolean"}, {"name": "absent"} ] }
        """);
    return new CatalogReader().read(folder).scripts().get(0);
  }

  private static Map<String, JsonValue> values(String text) {
    Map<String, JsonValue> values = new LinkedHashMap<>();
    values.put("text", Json.createValue(text));
    values.put("n", Json.createValue(42));
    values.put("on", JsonValue.TRUE);
    return values;
  }

  @Test
  void aValueStaysInsideItsOwnArgumentVerbatim() throws IOException {
    String hostile = "a b; rm -rf / $(id) `id` * ${n} \\ ' \"";
    CommandLine line = CommandLine.of(script(), values(hostile), "r-1");
    assertEquals(
        List.of(
            folder.resolve("echo.sh").toString(),
            hostile,
            "--n=42",
            "--on=true",
            hostile + hostile,
            ""),
        line.argv());
  }

  @Test
  void aValueThatLooksLikeAPlaceholderIsNotExpandedAgain() throws IOException {
    assertEquals("${n}", CommandLine.of(script(), values("${n}"), "r-1").argv().get(1));
  }

  @Test
  void theEnvironmentIsCleanAndComplete() throws IOException {
    CommandLine line = CommandLine.of(script(), values("x"), "r-7");
    assertEquals(
        Map.of(
            "PATH", CommandLine.PATH,
            "HOME", System.getProperty("user.home"),
            "LANG", "de_DE.UTF-8",
            "GREETING", "hi",
            "PARAM_TEXT", "x",
            "PARAM_N", "42",
            "PARAM_ON", "true",
            "PARAM_ABSENT", "",
            "SCRIPTCAST_RUN_ID", "r-7"),
        line.environment());
  }
}
