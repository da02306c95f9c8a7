package org.scriptcast.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenID Connect provider on loopback, as much of one as the authorization code flow needs:
 * discovery, an authorization endpoint that signs in at once whoever the test named, a token
 * endpoint that checks the client's secret, RS256-signed tokens, their key set and the user info.
 * It keeps the requests it was sent, for the test to look at.
 */
final class TestProvider implements AutoCloseable {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final HttpServer http;
  private final String clientId;
  private final String clientSecret;
  private final KeyPair key;
  private final Map<String, JsonObject> claimsByCode = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> claimsByAccessToken = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile JsonObject nextUser;

  TestProvider(String clientId, String clientSecret) throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    try {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      key = rsa.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::answer);
    http.start();
  }

  String issuer() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /**
   * Whoever comes to the authorization endpoint next is signed in as this user, in these groups.
   */
  void signsIn(String user, List<String> groups) {
    nextUser =
        Json.createObjectBuilder()
            .add("sub", "id-" + user)
            .add("preferred_username", user)
            .add("groups", Json.createArrayBuilder(groups))
            .build();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      requests.add(exchange.getRequestMethod() + " " + uri.getPath());
      switch (uri.getPath()) {
        case "/.well-known/openid-configuration" -> json(exchange, 200, discovery());
        case "/jwks" -> json(exchange, 200, keySet());
        case "/authorize" -> authorize(exchange, query(uri.getRawQuery()));
        case "/token" -> token(exchange);
        case "/userinfo" -> userInfo(exchange);
        case "/logout" -> logout(exchange, query(uri.getRawQuery()));
        default -> json(exchange, 404, Json.createObjectBuilder().build());
      }
    } catch (RuntimeException e) {
      requests.add("failed: " + e);
      throw e;
    }
  }

  private JsonObject discovery() {
    String issuer = issuer();
    return Json.createObjectBuilder()
        .add("issuer", issuer)
        .add("authorization_endpoint", issuer + "/authorize")
        .add("token_endpoint", issuer + "/token")
        .add("userinfo_endpoint", issuer + "/userinfo")
        .add("jwks_uri", issuer + "/jwks")
        .add("end_session_endpoint", issuer + "/logout")
        .add("response_types_supported", Json.createArrayBuilder(List.of("code")))
        .add("subject_types_supported", Json.createArrayBuilder(List.of("public")))
        .add("id_token_signing_alg_values_supported", Json.createArrayBuilder(List.of("RS256")))
        .add("scopes_supported", Json.createArrayBuilder(List.of("openid", "profile", "email")))
        .add(
            "token_endpoint_auth_methods_supported",
            Json.createArrayBuilder(List.of("client_secret_basic", "client_secret_post")))
        .add(
            "claims_supported",
            Json.createArrayBuilder(List.of("sub", "preferred_username", "groups")))
        .build();
  }

  private JsonObject keySet() {
    RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
    return Json.createObjectBuilder()
        .add(
            "keys",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("kty", "RSA")
                        .add("kid", "test-key")
                        .add("use", "sig")
                        .add("alg", "RS256")
                        .add("n", unsigned(publicKey.getModulus()))
                        .add("e", unsigned(publicKey.getPublicExponent()))))
        .build();
  }

  /** Signs in {@link #nextUser} at once and sends the browser back with a code. */
  private void authorize(HttpExchange exchange, Map<String, String> query) throws IOException {
    JsonObject user = nextUser;
    if (user == null || !clientId.equals(query.get("client_id"))) {
      json(exchange, 400, error("unauthorized_client"));
      return;
    }
    String code = UUID.randomUUID().toString();
    JsonObjectBuilder claims = Json.createObjectBuilder(user);
    if (query.containsKey("nonce")) {
      claims.add("nonce", query.get("nonce"));
    }
    claimsByCode.put(code, claims.build());
    String back =
        query.get("redirect_uri")
            + "?code="
            + code
            + (query.containsKey("state") ? "&state=" + query.get("state") : "");
    exchange.getResponseHeaders().add("Location", back);
    exchange.sendResponseHeaders(302, -1);
  }

  /** The code for tokens, for a client that proves its secret (Basic or in the form). */
  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String basic = exchange.getRequestHeaders().getFirst("Authorization");
    String expectedBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    boolean client =
        expectedBasic.equals(basic)
            || (clientId.equals(form.get("client_id"))
                && clientSecret.equals(form.get("client_secret")));
    JsonObject claims = claimsByCode.remove(String.valueOf(form.get("code")));
    if (!client) {
      json(exchange, 401, error("invalid_client"));
      return;
    }
    if (claims == null || !"authorization_code".equals(form.get("grant_type"))) {
      json(exchange, 400, error("invalid_grant"));
      return;
    }
    long now = System.currentTimeMillis() / 1000;
    JsonObject idToken =
        Json.createObjectBuilder(claims)
            .add("iss", issuer())
            .add("aud", clientId)
            .add("azp", clientId)
            .add("iat", now)
            .add("exp", now + 600)
            .build();
    String accessToken = UUID.randomUUID().toString();
    claimsByAccessToken.put(accessToken, claims);
    json(
        exchange,
        200,
        Json.createObjectBuilder()
            .add("access_token", accessToken)
            .add("token_type", "Bearer")
            .add("expires_in", 600)
            .add("scope", "openid profile email")
            .add("id_token", signed(idToken))
            .build());
  }

  private void userInfo(HttpExchange exchange) throws IOException {
    String bearer = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
    JsonObject claims = claimsByAccessToken.get(bearer.replaceFirst("^Bearer ", ""));
    if (claims == null) {
      json(exchange, 401, error("invalid_token"));
      return;
    }
    JsonObjectBuilder info = Json.createObjectBuilder(claims);
    info.remove("nonce");
    json(exchange, 200, info.build());
  }

  /** Ends the session of the user the ID token names, and sends the browser back. */
  private void logout(HttpExchange exchange, Map<String, String> query) throws IOException {
    String back = query.get("post_logout_redirect_uri");
    if (!query.containsKey("id_token_hint") || back == null) {
      json(exchange, 400, error("invalid_request"));
      return;
    }
    exchange.getResponseHeaders().add("Location", back);
    exchange.sendResponseHeaders(302, -1);
  }

  private String signed(JsonObject claims) {
    String header =
        BASE64URL.encodeToString(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"test-key\"}"
                .getBytes(StandardCharsets.UTF_8));
    String body = BASE64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key.getPrivate());
      rs256.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
      return header + "." + body + "." + BASE64URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return BASE64URL.encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
  }

  private static JsonObject error(String code) {
    return Json.createObjectBuilder().add("error", code).build();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      values.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static void json(HttpExchange exchange, int status, JsonObject body) {
    try {
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
