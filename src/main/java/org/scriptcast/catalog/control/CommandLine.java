package org.scriptcast.catalog.control;

import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.scriptcast.catalog.entity.Parameter;
import org.scriptcast.catalog.entity.Script;

/**
 * Turns a script and its validated values into what the process gets: argv, a clean environment and
 * a working directory; and the values of its secret parameters, which its output must never show.
 * There is no shell anywhere: {@code ${name}} is replaced inside one argv element in a single pass,
 * so a value is never split, globbed or expanded again.
 */
public record CommandLine(
    List<String> argv, Map<String, String> environment, Path directory, List<String> secrets) {

  public static final String RUN_ID_VARIABLE = "SCRIPTCAST_RUN_ID";

  /** A fixed search path: the server's own environment never reaches a script. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public static CommandLine of(Script script, Map<String, JsonValue> values, String runId) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Parameter parameter : script.parameters()) {
      JsonValue value = values.get(parameter.name());
      texts.put(parameter.name(), value == null ? "" : Parameter.text(value));
    }
    List<String> argv = new ArrayList<>(script.command().size());
    for (String element : script.command()) {
      argv.add(substitute(element, texts));
    }
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PATH", PATH);
    environment.put("HOME", System.getProperty("user.home", "/"));
    environment.put("LANG", "C.UTF-8");
    environment.putAll(script.env());
    for (Parameter parameter : script.parameters()) {
      environment.put(parameter.environmentName(), texts.get(parameter.name()));
    }
    environment.put(RUN_ID_VARIABLE, runId);
    List<String> secrets = new ArrayList<>();
    for (Parameter parameter : script.parameters()) {
      String text = texts.get(parameter.name());
      if (parameter.secret() && !text.isEmpty()) {
        secrets.add(text);
      }
    }
    // the longest first, so that a secret inside another is never left half shown
    secrets.sort((a, b) -> b.length() - a.length());
    return new CommandLine(
        List.copyOf(argv), environment, script.workingDirectory(), List.copyOf(secrets));
  }

  private static String substitute(String element, Map<String, String> texts) {
    Matcher matcher = CatalogReader.PLACEHOLDER.matcher(element);
    StringBuilder result = new StringBuilder(element.length());
    while (matcher.find()) {
      // the reader only lets through placeholders that name a declared parameter
      matcher.appendReplacement(result, Matcher.quoteReplacement(texts.get(matcher.group(1))));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
