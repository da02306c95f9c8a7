package org.scriptcast.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL run of the tests needs a PostgreSQL server (.ci/postgresql sets one up). Where
 * there is none, a developer's {@code mvn verify} says so and leaves those tests out; CI sets
 * {@code SCRIPTCAST_REQUIRE_POSTGRESQL}, so there a missing server fails the build instead.
 */
class DatabaseReachable implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    boolean needed =
        "postgresql".equals(System.getProperty("arquillian.launch"))
            || context
                .getTestClass()
                .map(c -> c.isAnnotationPresent(NeedsPostgresql.class))
                .orElse(false);
    if (!needed) {
      return ConditionEvaluationResult.enabled("embedded database");
    }
    URI server = URI.create(System.getProperty("postgresql.url").substring("jdbc:".length()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 2000);
      return ConditionEvaluationResult.enabled("PostgreSQL answers at " + server);
    } catch (IOException e) {
      String reason = "no PostgreSQL server at " + server + " (run .ci/postgresql to set one up)";
      if (System.getenv("SCRIPTCAST_REQUIRE_POSTGRESQL") != null) {
        throw new IllegalStateException(reason, e);
      }
      return ConditionEvaluationResult.disabled(reason);
    }
  }
}
