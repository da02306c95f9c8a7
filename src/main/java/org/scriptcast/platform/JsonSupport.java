package org.scriptcast.platform;

import jakarta.json.spi.JsonProvider;

/**
 * The application's one JSON-P provider, looked up once. Why not {@code jakarta.json.Json}'s static
 * methods: each of their calls looks the provider up again (an OSGi lookup by {@code
 * Class.forName}, then a {@code ServiceLoader} over the class path), and that was 28 % of the HTTP
 * threads' CPU in a profile of {@code GET /api/scripts}.
 */
public final class JsonSupport {

  public static final JsonProvider JSON = JsonProvider.provider();

  private JsonSupport() {}
}
