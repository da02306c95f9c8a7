package org.scriptcast.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scriptcast.catalog.entity.ParameterType;
import org.scriptcast.catalog.entity.Script;

class CatalogReaderTest {

  @TempDir Path folder;

  private CatalogReader.Result read(String... nameAndJson) throws IOException {
    for (int i = 0; i < nameAndJson.length; i += 2) {
      Files.writeString(folder.resolve(nameAndJson[i]), nameAndJson[i + 1]);
    }
    return new CatalogReader().read(folder);
  }

  private String reasonFor(String file, String json) throws IOException {
    Path alone = Files.createDirectory(folder.resolve(file + ".d"));
    Files.writeString(alone.resolve(file), json);
    CatalogReader.Result result = new CatalogReader().read(alone);
    assertEquals(List.of(), result.scripts());
    assertEquals(1, result.problems().size());
    assertEquals(file, result.problems().get(0).file());
    return result.problems().get(0).reason();
  }

  @Test
  void readsAWholeEntry() throws IOException {
    Script script =
        read(
                "backup.json",
                """
                { "title": "Back up a database", "description": "Nightly",
                  "command": ["./backup.sh", "--target", "${target}", "--full=${full}"],
                  "workingDirectory": "work", "timeoutSeconds": 600, "roles": ["ops"],
                  "maxConcurrent": 1, "env": {"BACKUP_ROOT": "/srv/backup"},
                  "parameters": [
                    {"name": "target", "type": "choice", "choices": ["db1", "db2"], "required": true},
                    {"name": "full", "type": "boolean", "default": false} ] }
                """)
            .scripts()
            .get(0);
    assertEquals("backup", script.name());
    assertEquals(folder.resolve("backup.sh").toString(), script.command().get(0));
    assertEquals(
        List.of("--target", "${target}", "--full=${full}"), script.command().subList(1, 4));
    assertEquals(folder.resolve("work"), script.workingDirectory());
    assertEquals(600, script.timeoutSeconds());
    assertEquals(List.of("ops"), script.roles());
    assertEquals(Map.of("BACKUP_ROOT", "/srv/backup"), script.env());
    assertEquals(ParameterType.CHOICE, script.parameter("target").type());
    assertEquals("false", script.parameter("full").defaultText());
  }

  @Test
  void aBadFileIsLeftOutAndTheOthersLoad() throws IOException {
    CatalogReader.Result result =
        read(
            "good.json", "{\"command\": [\"/bin/true\"]}",
            "broken.json", "{\"command\": [",
            "Bad_Name.json", "{\"command\": [\"/bin/true\"]}");
    assertEquals(List.of("good"), result.scripts().stream().map(Script::name).toList());
    assertEquals(2, result.problems().size());
    assertTrue(result.problems().get(0).file().equals("Bad_Name.json"));
    assertTrue(result.problems().get(0).reason().contains("name must match"));
    assertTrue(result.problems().get(1).reason().startsWith("not valid JSON"));
  }

  @Test
  void defaultsAreSane() throws IOException {
    Script script = read("plain.json", "{\"command\": [\"/bin/true\"]}").scripts().get(0);
    assertEquals("plain", script.title());
    assertEquals(CatalogReader.DEFAULT_TIMEOUT_SECONDS, script.timeoutSeconds());
    assertEquals(List.of(), script.roles());
    assertEquals(folder, script.workingDirectory());
  }

  @Test
  void reasonsNameWhatIsWrong() throws IOException {
    assertTrue(reasonFor("a.json", "{}").contains("command is required"));
    assertTrue(
        reasonFor("b.json", "{\"command\": [\"/bin/echo\", \"${who}\"]}").contains("${who}"));
    assertTrue(
        reasonFor("c.json", "{\"command\": [\"/bin/true\"], \"role\": [\"ops\"]}")
            .contains("unknown key role"));
    assertTrue(
        reasonFor(
                "d.json",
                "{\"command\": [\"/bin/true\"], \"parameters\": [{\"name\": \"x\", \"type\": \"choice\"}]}")
            .contains("a choice needs choices"));
    assertTrue(
        reasonFor(
                "e.json",
                "{\"command\": [\"/bin/true\"], \"parameters\": [{\"name\": \"n\", \"type\": \"integer\", \"default\": \"5\"}]}")
            .contains("the default must be an integer"));
    assertTrue(
        reasonFor("f.json", "{\"command\": [\"${p}\"], \"parameters\": [{\"name\": \"p\"}]}")
            .contains("program"));
    assertTrue(
        reasonFor("g.json", "{\"command\": [\"/bin/true\"], \"env\": {\"PARAM_X\": \"1\"}}")
            .contains("reserved"));
    assertTrue(
        reasonFor(
                "h.json",
                "{\"command\": [\"/bin/true\"], \"parameters\": [{\"name\": \"s\", \"pattern\": \"(\"}]}")
            .contains("bad pattern"));
    assertTrue(
        reasonFor(
                "i.json",
                "{\"command\": [\"/bin/true\"], \"parameters\": [{\"name\": \"target\"}, {\"name\": \"Target\"}]}")
            .contains("would both be PARAM_TARGET"));
  }

  @Test
  void theExampleCatalogLoadsWhole() {
    CatalogReader.Result result = new CatalogReader().read(Path.of("server-config/catalog"));
    assertEquals(List.of(), result.problems());
    assertTrue(result.scripts().size() >= 3);
    for (Script script : result.scripts()) {
      assertTrue(Files.isExecutable(Path.of(script.command().get(0))), script.name());
    }
  }
}
