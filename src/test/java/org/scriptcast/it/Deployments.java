package org.scriptcast.it;

import java.io.File;
import java.util.List;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** What the integration tests deploy: the WAR that {@code mvn package} built, as users get it. */
final class Deployments {

  private Deployments() {}

  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/scriptcast.war"));
  }

  static List<String> data(List<SseEvent> events, String type) {
    return events.stream().filter(e -> e.type().equals(type)).map(SseEvent::data).toList();
  }
}
