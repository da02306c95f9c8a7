package skeleton;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * The embedded database: H2, shipped in the WAR as scriptcast's, in the folder the server starts
 * in, with JPA over it. Read once at start-up, as scriptcast does to finish the runs a stop
 * interrupted. Declared here rather than in web.xml, so that the skeleton without a database is
 * the same WAR without this folder.
 */
@DataSourceDefinition(
    name = "java:app/jdbc/skeleton",
    className = "org.h2.jdbcx.JdbcDataSource",
    url = "jdbc:h2:file:./skeleton-data/skeleton",
    transactional = true,
    initialPoolSize = 2,
    minPoolSize = 2,
    maxPoolSize = 32)
@ApplicationScoped
public class NoteCount {
  @PersistenceContext EntityManager em;

  @Transactional
  public void onStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
    em.createQuery("select count(n) from Note n", Long.class).getSingleResult();
  }
}
