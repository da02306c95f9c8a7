package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every integration test class shares: the WAR that {@code mvn package} built, as users get
 * it, deployed on a Payara Micro that the connector boots for the class, and an {@link Api} to talk
 * to it. The server uses the embedded database, or PostgreSQL when {@code arquillian.launch} is
 * {@code postgresql}.
 */
@ExtendWith(DatabaseReachable.class)
@ExtendWith(PreviousServerGone.class)
@ExtendWith(ArquillianExtension.class)
abstract class OnPayaraMicro {

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/scriptcast.war"));
  }

  @ArquillianResource URL deployment;
  Api api;

  /** Deployments known to answer: each is awaited once, before its class's first test. */
  private static final Set<String> ANSWERING = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void connect() {
    api = new Api(deployment);
    if (ANSWERING.add(deployment.toString())) {
      awaitApplication();
    }
  }

  /**
   * Waits until the application answers its API. Once (one class in a full run, on PostgreSQL) a
   * whole class got Payara's HTML 404 page from a server the connector had just reported as
   * deployed: its tests ran within 0.4 s of that report, and the cause is not known. A server that
   * never answers still fails, with what it answered; one that answers late says so here.
   */
  private void awaitApplication() {
    long start = System.nanoTime();
    HttpResponse<String> answer = api.get("/api/scripts");
    int first = answer.statusCode();
    while (answer.statusCode() != 200 && System.nanoTime() - start < 60_000_000_000L) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      answer = api.get("/api/scripts");
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (first != 200 && answer.statusCode() == 200) {
      System.out.println(
          "The deployment answered after " + millis + " ms (first " + first + "): " + deployment);
    }
    assertEquals(200, answer.statusCode(), "the deployment does not answer: " + answer.body());
  }
}
