package org.scriptcast.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class FailureMapperTest {

  @Test
  void anUnexpectedFailureIsAProblemThatTellsNothingOfTheServersInsides() {
    Response response =
        new FailureMapper()
            .toResponse(new IllegalStateException("jdbc:h2:/srv/scriptcast-data refused"));
    assertEquals(500, response.getStatus());
    assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
    String body = (String) response.getEntity();
    assertTrue(body.contains("\"status\":500"), body);
    assertTrue(body.matches(".*incident [0-9a-f]{8}.*"), body);
    assertFalse(body.contains("jdbc") || body.contains("IllegalState"), body);
  }
}
