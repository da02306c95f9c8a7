package org.scriptcast.catalog.entity;

import java.util.Locale;

/** The types a catalog parameter can declare, spelled in lower case in the catalog and the API. */
public enum ParameterType {
  STRING,
  INTEGER,
  BOOLEAN,
  CHOICE;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code text}, or null when there is none of that name. */
  public static ParameterType of(String text) {
    for (ParameterType type : values()) {
      if (type.json().equals(text)) {
        return type;
      }
    }
    return null;
  }
}
