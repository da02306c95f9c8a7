package skeleton;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The @Stateless EJB of the fixed shape, with its executor, its database and a CDI event. */
@Stateless
public class Notes {
  @PersistenceContext EntityManager em;
  @Resource ManagedExecutorService executor;
  @Inject Event<String> lines;

  public long count() {
    lines.fire("counted");
    return em.createQuery("select count(n) from Note n", Long.class).getSingleResult();
  }
}
