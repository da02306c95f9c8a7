package org.scriptcast.catalog.entity;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An entry of the catalog: a program an operator declared, and the only kind of thing scriptcast
 * ever executes.
 *
 * @param command argv templates; {@code command[0]} is already resolved against the catalog folder
 * @param roles who may run it; empty means only {@code admin}
 */
public record Script(
    String name,
    String title,
    String description,
    List<String> command,
    Path workingDirectory,
    int timeoutSeconds,
    List<String> roles,
    int maxConcurrent,
    Map<String, String> env,
    List<Parameter> parameters) {

  public Parameter parameter(String parameterName) {
    for (Parameter parameter : parameters) {
      if (parameter.name().equals(parameterName)) {
        return parameter;
      }
    }
    return null;
  }
}
