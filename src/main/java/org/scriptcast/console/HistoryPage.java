package org.scriptcast.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.scriptcast.catalog.boundary.Catalog;
import org.scriptcast.catalog.entity.Script;
import org.scriptcast.runs.control.Runs;
import org.scriptcast.runs.entity.RunState;
import org.scriptcast.security.Caller;

/** The history page: the runs the user may see, newest first, by script and state, page by page. */
@Named
@RequestScoped
public class HistoryPage {

  static final int PAGE = 50;

  @Inject Runs runs;
  @Inject Catalog catalog;
  @Inject Caller caller;

  private String script;
  private String state;
  private String before;
  private List<JsonObject> page;

  public List<JsonObject> getRuns() {
    if (page == null) {
      Set<String> visible =
          caller.isAdmin() ? null : getScripts().stream().collect(Collectors.toSet());
      page = runs.history(blankToNull(script), runState(), blankToNull(before), PAGE, visible);
    }
    return page;
  }

  /** The scripts whose runs the user may see, for the filter. */
  public List<String> getScripts() {
    return catalog.scripts().stream().filter(caller::mayRun).map(Script::name).toList();
  }

  public List<String> getStates() {
    return Arrays.stream(RunState.values()).map(Enum::name).toList();
  }

  /** The link to the next page, or null on the last one. */
  public String getNextPage() {
    List<JsonObject> shown = getRuns();
    if (shown.size() < PAGE) {
      return null;
    }
    StringBuilder link = new StringBuilder("?before=");
    link.append(shown.get(shown.size() - 1).getString("id"));
    if (blankToNull(script) != null) {
      link.append("&script=").append(URLEncoder.encode(script, StandardCharsets.UTF_8));
    }
    if (runState() != null) {
      link.append("&state=").append(state);
    }
    return link.toString();
  }

  /** A member of a run object as text: empty for null. */
  public String text(JsonObject run, String member) {
    JsonValue value = run.get(member);
    if (value == null || value == JsonValue.NULL) {
      return "";
    }
    return value.getValueType() == JsonValue.ValueType.STRING
        ? run.getString(member)
        : value.toString();
  }

  private RunState runState() {
    try {
      return blankToNull(state) == null ? null : RunState.valueOf(state);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  public String getScript() {
    return script;
  }

  public void setScript(String script) {
    this.script = script;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getBefore() {
    return before;
  }

  public void setBefore(String before) {
    this.before = before;
  }
}
