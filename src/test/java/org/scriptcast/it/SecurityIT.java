package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scriptcast.it.Api.eventually;
import static org.scriptcast.it.SseEvent.data;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The security rules of API.md, written as attacks. Users of {@code src/test/users.json}: admin;
 * alice and bob (role ops); carol (role viewers). Scripts: most of the test catalog has no roles
 * (admin only); {@code ops-count}, {@code ops-hold} and {@code secret} are for ops.
 */
class SecurityIT extends OnPayaraMicro {

  private static final List<String> RUN_PATHS = List.of("", "/events", "/log", "/audit");

  private static void assertUnauthorized(HttpResponse<String> answer) {
    assertEquals(401, answer.statusCode(), answer.body());
    assertTrue(
        answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "),
        answer.headers().map().toString());
  }

  @Test
  void withoutCredentialsTheApiAnswers401AndPagesSendToTheLogin() {
    Api nobody = api.withAuthorization(null);
    assertUnauthorized(nobody.get("api/scripts"));
    assertUnauthorized(nobody.get("api/runs"));
    assertUnauthorized(nobody.get("api/runs/r-anything/events", "text/event-stream"));
    assertUnauthorized(nobody.post("api/runs", "application/json", "{\"script\": \"count\"}"));
    HttpResponse<String> page = nobody.get("", "text/html");
    assertEquals(302, page.statusCode());
    assertTrue(page.headers().firstValue("Location").get().contains("/login.xhtml?next="));
    assertEquals(200, nobody.get("login.xhtml", "text/html").statusCode());
  }

  @Test
  void aPageWhoseSessionEndedGetsNoBasicChallenge() {
    // a browser answers a Basic challenge with its own password box, and keeps what is typed
    // there after signing out: a page whose session ended gets a 401 that names the login page's
    // scheme, which no browser prompts for
    HttpResponse<String> answer =
        api.withAuthorization(null)
            .send(
                HttpRequest.newBuilder(api.uri("api/runs"))
                    .header("Accept", "application/json")
                    .header("Cookie", "JSESSIONID=ended-long-ago")
                    .GET());
    assertEquals(401, answer.statusCode(), answer.body());
    assertEquals(
        "Form realm=\"scriptcast\"", answer.headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(answer.body().contains("Your session ended"), answer.body());
  }

  @Test
  void wrongOrMalformedCredentialsAre401() {
    // alice's password verified first: a wrong one right after is still refused (the server
    // remembers a verified password for a while, and must not let any other through)
    assertEquals(200, api.as("alice").get("api/scripts").statusCode());
    assertUnauthorized(api.withAuthorization(Api.basic("alice", "wrong")).get("api/scripts"));
    assertUnauthorized(api.withAuthorization(Api.basic("alice", "")).get("api/scripts"));
    assertEquals(200, api.as("alice").get("api/scripts").statusCode());
    assertUnauthorized(api.withAuthorization(Api.basic("mallory", "x")).get("api/scripts"));
    assertUnauthorized(api.withAuthorization("Basic !!!not-base64").get("api/scripts"));
    assertUnauthorized(api.withAuthorization("Basic bm9jb2xvbg==").get("api/scripts"));
    assertUnauthorized(api.withAuthorization("Bearer abc.def.ghi").get("api/scripts"));
    assertUnauthorized(api.withAuthorization("Basic").get("api/scripts"));
  }

  @Test
  void eachUserSeesOnlyTheScriptsTheirRolesMayRun() {
    List<String> alice = names(api.as("alice").get("api/scripts"));
    assertTrue(alice.containsAll(List.of("ops-count", "ops-hold", "secret")), alice.toString());
    assertFalse(alice.contains("count"), "an entry without roles is for admin only");
    assertTrue(names(api.as("carol").get("api/scripts")).isEmpty());
    assertTrue(names(api.get("api/scripts")).containsAll(List.of("count", "ops-count")));
    assertEquals(404, api.as("alice").get("api/scripts/count").statusCode());
    assertEquals(200, api.as("alice").get("api/scripts/ops-count").statusCode());
  }

  @Test
  void startingAScriptTheRoleMayNotRunIs403() {
    HttpResponse<String> answer =
        api.as("alice")
            .post(
                "api/runs",
                "application/json",
                "{\"script\": \"count\", \"params\": {\"lines\": 1}}");
    assertEquals(403, answer.statusCode(), answer.body());
    assertEquals(
        403,
        api.as("carol")
            .post("api/runs", "application/json", "{\"script\": \"ops-count\"}")
            .statusCode());
  }

  @Test
  void anotherUsersRunIsNotFoundOnEveryPath() {
    String id = api.start("count", "{\"lines\": 2}").getString("id");
    api.follow(id);
    Api alice = api.as("alice");
    for (String path : RUN_PATHS) {
      assertEquals(404, alice.get("api/runs/" + id + path, "*/*").statusCode(), path);
    }
    assertEquals(
        404, alice.get("api/runs/" + id + "/events?after=0", "application/json").statusCode());
    assertEquals(
        404, alice.post("api/runs/" + id + "/cancel", "application/json", "").statusCode());
    assertFalse(ids(alice.get("api/runs?limit=500")).contains(id));
    assertFalse(ids(alice.get("api/runs?script=count&limit=500")).contains(id));
    assertTrue(ids(api.get("api/runs?limit=500")).contains(id), "admin sees every run");
  }

  @Test
  void runsOfAScriptAreSharedByItsRoleButOnlyTheStarterOrAdminCancels() throws IOException {
    String id = api.as("alice").start("ops-hold", "{}").getString("id");
    Api bob = api.as("bob");
    assertEquals(200, bob.get("api/runs/" + id).statusCode());
    try (InputStream stream = bob.events(id, "").body()) {
      new SseParser(stream).next(); // bob follows alice's run
    }
    assertEquals(403, bob.post("api/runs/" + id + "/cancel", "application/json", "").statusCode());
    assertEquals(404, api.as("carol").get("api/runs/" + id).statusCode());
    JsonObject run = cancelled(api, id);
    assertEquals("admin", run.getString("cancelledBy"));
    assertEquals("alice", run.getString("startedBy"));
    List<String> audit = audit(id);
    assertTrue(
        audit.containsAll(List.of("alice STARTED", "bob FOLLOWED", "admin CANCELLED")),
        audit.toString());
  }

  /** Who did what with the run, as "user ACTION", oldest first. */
  private List<String> audit(String id) {
    return Api.json(api.get("api/runs/" + id + "/audit").body()).asJsonArray().stream()
        .map(JsonValue::asJsonObject)
        .map(entry -> entry.getString("user") + " " + entry.getString("action"))
        .toList();
  }

  /**
   * Watching from a resumed cursor is audited too, once per watcher: {@code Last-Event-ID: 0}, or a
   * long poll that starts after an event, watched a whole run unrecorded.
   */
  @Test
  void aWatcherIsAuditedWhateverCursorTheyResumeFrom() throws IOException {
    String id = api.as("alice").start("ops-count", "{}").getString("id");
    api.as("alice").follow(id);
    Api bob = api.as("bob");
    for (int i = 0; i < 2; i++) {
      try (InputStream stream = bob.events(id, "", "Last-Event-ID", "0").body()) {
        assertEquals(3, data(new SseParser(stream).readAll(), "stdout").size());
      }
      assertEquals(
          200, bob.get("api/runs/" + id + "/events?after=1", "application/json").statusCode());
    }
    List<String> audit = audit(id);
    assertEquals(1, audit.stream().filter("bob FOLLOWED"::equals).count(), audit.toString());
    assertEquals(0, audit.stream().filter("bob POLLED"::equals).count(), "bob is recorded once");
  }

  @Test
  void theStarterCancelsTheirOwnRunWithoutTheAdminRole() {
    Api alice = api.as("alice");
    String id = alice.start("ops-hold", "{}").getString("id");
    assertEquals("alice", cancelled(alice, id).getString("cancelledBy"));
  }

  /** Cancels the run as {@code who} (202), follows it to its end: the run object, CANCELLED. */
  private static JsonObject cancelled(Api who, String id) {
    HttpResponse<String> cancel = who.post("api/runs/" + id + "/cancel", "application/json", "");
    assertEquals(202, cancel.statusCode(), cancel.body());
    who.follow(id);
    JsonObject run = Api.json(who.get("api/runs/" + id).body()).asJsonObject();
    assertEquals("CANCELLED", run.getString("state"));
    return run;
  }

  @Test
  void formsAndTextAreRefusedWith415() {
    assertEquals(
        415,
        api.post("api/runs", "application/x-www-form-urlencoded", "script=count").statusCode());
    assertEquals(415, api.post("api/runs", "text/plain", "{\"script\": \"count\"}").statusCode());
    assertEquals(
        415,
        api.post("api/runs/r-anything/cancel", "application/x-www-form-urlencoded", "a=b")
            .statusCode());
  }

  private HttpResponse<String> startFrom(String header, String value) {
    return api.send(
        HttpRequest.newBuilder(api.uri("api/runs"))
            .header("Content-Type", "application/json")
            .header(header, value)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"script\": \"count\", \"params\": {\"lines\": 1}}")));
  }

  @Test
  void postsFromAnotherSiteAreRefusedWith403() {
    HttpResponse<String> fromOrigin = startFrom("Origin", "http://evil.example");
    assertEquals(403, fromOrigin.statusCode(), fromOrigin.body());
    assertEquals(403, startFrom("Referer", "http://evil.example/page.html").statusCode());
    assertEquals(403, startFrom("Origin", "null").statusCode());
    HttpResponse<String> sameSite = startFrom("Origin", "http://" + api.uri("").getRawAuthority());
    assertEquals(201, sameSite.statusCode(), sameSite.body());
  }

  @Test
  void aSecretNeverAppearsInEventsLogOrHistory() {
    String secret = "s3cr3t-Value-42";
    JsonObject started = api.as("alice").start("secret", "{\"token\": \"" + secret + "\"}");
    String id = started.getString("id");
    assertEquals("***", started.getJsonObject("params").getString("token"));
    List<SseEvent> events = api.as("alice").follow(id);
    assertTrue(
        events.stream().noneMatch(event -> event.data().contains(secret)), events.toString());
    assertTrue(SseEvent.data(events, "stdout").contains("token=***"), events.toString());
    assertTrue(SseEvent.data(events, "stdout").contains("env PARAM_TOKEN=***"));
    assertTrue(SseEvent.data(events, "stderr").contains("twice: *** and ***"));
    assertTrue(SseEvent.data(events, "stdout").contains("default PARAM_FALLBACK=***"));
    assertTrue(events.stream().noneMatch(event -> event.data().contains(DEFAULT_SECRET)));
    eventually(
        "the run is stored", () -> !api.get("api/runs/" + id + "/log", "*/*").body().isEmpty());
    assertFalse(api.get("api/runs/" + id + "/log", "*/*").body().contains(secret));
    assertFalse(api.get("api/runs?limit=500").body().contains(secret));
    assertFalse(
        api.get("api/runs/" + id + "/events?after=0", "application/json").body().contains(secret));
  }

  /** The secret default of {@code secret.json}'s {@code fallback}. */
  private static final String DEFAULT_SECRET = "d3fault-S3cret-7";

  /**
   * A secret parameter's default is the operator's, and no page or answer shows it: the catalog
   * page leaves its field empty (sent empty, the server uses the default), the API says null.
   */
  @Test
  void aSecretDefaultIsShownNowhere() {
    String page = api.as("alice").get("", "text/html").body();
    assertTrue(page.contains("data-script=\"secret\""), page);
    assertFalse(page.contains(DEFAULT_SECRET), page);
    String script = api.as("alice").get("api/scripts/secret").body();
    assertTrue(script.contains("\"fallback\""), script);
    assertFalse(script.contains(DEFAULT_SECRET), script);
  }

  @Test
  void pagesCarrySecurityHeaders() {
    HttpResponse<String> page = api.get("", "text/html");
    assertEquals(200, page.statusCode());
    String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("script-src 'self'"), policy);
    assertFalse(policy.contains("unsafe-inline"));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertTrue(page.headers().firstValue("X-Frame-Options").isPresent());
    assertFalse(page.body().contains("<script>"), "no inline script on the page");
  }

  @Test
  void theLoginPageOpensASessionThatAlsoCarriesTheApi() throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpResponse<String> form =
        browser.send(
            HttpRequest.newBuilder(api.uri("login.xhtml")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, form.statusCode());
    HttpResponse<String> wrong = signIn(browser, form.body(), "alice", "not-her-password");
    assertTrue(wrong.body().contains("Wrong user name or password"), wrong.body());
    assertEquals(
        401,
        browser
            .send(
                HttpRequest.newBuilder(api.uri("api/scripts")).build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());
    HttpResponse<String> right = signIn(browser, wrong.body(), "alice", "alice-password");
    assertEquals(302, right.statusCode(), right.body());
    HttpResponse<String> scripts =
        browser.send(
            HttpRequest.newBuilder(api.uri("api/scripts")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scripts.statusCode());
    assertTrue(names(scripts).contains("ops-count"));
    assertFalse(names(scripts).contains("count"));
  }

  private HttpResponse<String> signIn(HttpClient browser, String page, String name, String password)
      throws IOException, InterruptedException {
    Matcher viewState =
        Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]*)\"").matcher(page);
    assertTrue(viewState.find(), page);
    String body =
        "login=login&name="
            + name
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&next=%2F&sign-in=Sign+in&jakarta.faces.ViewState="
            + URLEncoder.encode(viewState.group(1), StandardCharsets.UTF_8);
    return browser.send(
        HttpRequest.newBuilder(api.uri("login.xhtml"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> names(HttpResponse<String> answer) {
    assertEquals(200, answer.statusCode(), answer.body());
    return Api.json(answer.body()).asJsonArray().stream()
        .map(script -> script.asJsonObject().getString("name"))
        .toList();
  }

  private static List<String> ids(HttpResponse<String> answer) {
    assertEquals(200, answer.statusCode(), answer.body());
    return Api.json(answer.body()).asJsonArray().stream()
        .map(run -> run.asJsonObject().getString("id"))
        .toList();
  }
}
