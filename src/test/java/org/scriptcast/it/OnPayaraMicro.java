package org.scriptcast.it;

import java.io.File;
import java.net.URL;
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

  @BeforeEach
  void connect() {
    api = new Api(deployment);
  }
}
