package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect from end to end, with a provider on loopback ({@link TestProvider}): a browser
 * that comes to the console is sent to the provider, comes back signed in, and has the groups the
 * provider names as its roles, for the console, the API and the catalog's roles alike.
 */
class OidcLoginIT {

  private static final Path DATA = Path.of("target", "oidc-login-data").toAbsolutePath();

  @Test
  void aProviderLoginGivesTheUserTheirGroupsAsRoles() throws Exception {
    try (TestProvider provider = new TestProvider("scriptcast", "s3cret");
        MicroServer server =
            MicroServer.startUntilReady(
                DATA,
                "oidc-login",
                "-Dscriptcast.oidc.issuer=" + provider.issuer(),
                "-Dscriptcast.oidc.clientId=scriptcast",
                "-Dscriptcast.oidc.clientSecret=s3cret")) {
      assertTrue(
          server.log().contains("scriptcast was successfully deployed"),
          "see target/oidc-login.log");

      provider.signsIn("carol", List.of("ops"));
      Browser carol = new Browser(server.uri());
      HttpResponse<String> console = carol.open("");
      String trail = " (hops " + carol.hops + ", provider " + provider.requests + ")";
      assertEquals(200, console.statusCode(), "the console after the login" + trail);
      assertTrue(carol.hops.stream().anyMatch(hop -> hop.contains("/authorize?")), trail);
      assertTrue(provider.requests.contains("POST /token"), "the code was exchanged" + trail);
      assertEquals(null, console.uri().getQuery(), "no spent code in the address bar" + trail);
      assertTrue(console.body().contains("carol"), "the console names who is signed in");
      // forms post here, and their redirects go to the provider (signing out, a session ended)
      assertTrue(
          console
              .headers()
              .firstValue("Content-Security-Policy")
              .orElse("")
              .contains("form-action 'self' " + provider.issuer() + ";"),
          console.headers().map().toString());

      // the group "ops" is the catalog's role "ops": ops-count is listed and runs
      assertTrue(carol.get("api/scripts").body().contains("\"ops-count\""));
      HttpResponse<String> started =
          carol.post("api/runs", "{\"script\": \"ops-count\", \"params\": {\"lines\": 2}}");
      assertEquals(201, started.statusCode(), started.body());
      assertTrue(started.body().contains("\"startedBy\":\"carol\""), started.body());
      String run = Api.json(started.body()).asJsonObject().getString("id");

      // a link to a page, opened by someone not signed in yet, leads to that page after the login
      Browser carolAgain = new Browser(server.uri());
      HttpResponse<String> runPage = carolAgain.open("run.xhtml?id=" + run);
      assertEquals(200, runPage.statusCode(), "hops " + carolAgain.hops);
      assertTrue(
          runPage.uri().toString().endsWith("/run.xhtml?id=" + run), "hops " + carolAgain.hops);
      assertTrue(runPage.body().contains("data-run=\"" + run + "\""), "hops " + carolAgain.hops);

      provider.signsIn("dave", List.of());
      Browser dave = new Browser(server.uri());
      assertEquals(200, dave.open("").statusCode(), "dave: hops " + dave.hops);
      assertFalse(dave.get("api/scripts").body().contains("\"ops-count\""));
      assertEquals(
          403,
          dave.post("api/runs", "{\"script\": \"ops-count\", \"params\": {\"lines\": 2}}")
              .statusCode());
      // the sessions are the users': carol's is still carol's
      assertTrue(carol.get("api/scripts").body().contains("\"ops-count\""));

      // signing out ends the session here and at the provider, and comes back to the sign-in page
      HttpResponse<String> signedOut = carol.signOut();
      assertEquals(200, signedOut.statusCode(), "hops " + carol.hops);
      assertTrue(
          carol.hops.stream().anyMatch(hop -> hop.contains("/logout?")),
          "the provider's end of session: hops " + carol.hops);
      assertTrue(signedOut.uri().getPath().endsWith("/login.xhtml"), "hops " + carol.hops);
      assertTrue(signedOut.body().contains("id=\"sign-in-at-provider\""), signedOut.body());
      assertFalse(signedOut.body().contains("type=\"password\""), "no password form");
      assertNotEquals(200, carol.get("api/scripts").statusCode());
    }
  }

  /** A browser: keeps its cookies, follows redirects itself and remembers where it went. */
  private static final class Browser {
    private final URI base;
    private final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final List<String> hops = new ArrayList<>();

    Browser(URI base) {
      this.base = base;
    }

    /** Opens a page as a browser does, through every redirect. */
    HttpResponse<String> open(String path) throws IOException, InterruptedException {
      URI at = base.resolve(path);
      return follow(HttpRequest.newBuilder(at).header("Accept", "text/html").GET().build());
    }

    /** Sends the request, then follows every redirect with a GET. */
    private HttpResponse<String> follow(HttpRequest request)
        throws IOException, InterruptedException {
      for (int hop = 0; hop < 10; hop++) {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        hops.add(answer.statusCode() + " " + request.uri());
        String location = answer.headers().firstValue("Location").orElse(null);
        if (answer.statusCode() / 100 != 3 || location == null) {
          return answer;
        }
        request =
            HttpRequest.newBuilder(request.uri().resolve(location))
                .header("Accept", "text/html")
                .GET()
                .build();
      }
      throw new IllegalStateException("too many redirects: " + hops);
    }

    /** Clicks "Sign out" in the page's header: posts its form, with the page's view state. */
    HttpResponse<String> signOut() throws IOException, InterruptedException {
      String page = open("").body();
      Matcher action =
          Pattern.compile("<form id=\"account\"[^>]*action=\"([^\"]+)\"").matcher(page);
      Matcher state =
          Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(page);
      assertTrue(action.find() && state.find(), page);
      String form =
          "account=account&sign-out=Sign+out&jakarta.faces.ViewState="
              + URLEncoder.encode(state.group(1), StandardCharsets.UTF_8);
      return follow(
          HttpRequest.newBuilder(base.resolve(action.group(1)))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Origin", base.toString().replaceAll("/$", ""))
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** A call of the console's own script: same origin, JSON. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .header("Origin", base.toString().replaceAll("/$", ""))
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
