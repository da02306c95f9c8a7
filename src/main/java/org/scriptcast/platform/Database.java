package org.scriptcast.platform;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application's database, chosen by configuration when the server starts, never by a rebuild:
 * {@code scriptcast.db.url}, {@code scriptcast.db.user} and {@code scriptcast.db.password}
 * (environment: {@code SCRIPTCAST_DB_URL}, ...). Without a URL it is the embedded H2 database in
 * {@code scriptcast.data}, which survives a restart (Payara's own default data source lives in a
 * temporary folder and does not).
 *
 * <p>The server pools it and enlists it in transactions: {@code WEB-INF/web.xml} declares it as the
 * data source {@code java:app/jdbc/scriptcast}. Both drivers ship in the WAR; any other JDBC driver
 * on the application's class path works too.
 */
public class Database implements DataSource {

  static final String DEFAULT_DATA = "./scriptcast-data";

  private final String url;
  private final Properties credentials = new Properties();
  private final Driver driver;

  public Database() {
    Config config = ConfigProvider.getConfig(Database.class.getClassLoader());
    url =
        config
            .getOptionalValue("scriptcast.db.url", String.class)
            .orElseGet(() -> embeddedUrl(config));
    config
        .getOptionalValue("scriptcast.db.user", String.class)
        .ifPresent(user -> credentials.setProperty("user", user));
    config
        .getOptionalValue("scriptcast.db.password", String.class)
        .ifPresent(password -> credentials.setProperty("password", password));
    driver = driverFor(url);
    Logger.getLogger(Database.class.getName())
        .info(
            () ->
                "scriptcast database: "
                    + url
                    + " with "
                    + driver.getClass().getName()
                    + " "
                    + driver.getMajorVersion()
                    + "."
                    + driver.getMinorVersion()
                    + " from "
                    + driver.getClass().getProtectionDomain().getCodeSource().getLocation());
  }

  /**
   * H2 in {@code scriptcast.data}. WRITE_DELAY=0: a commit is in the file when it returns (H2's
   * default writes commits up to 500 ms later, and a killed server lost them).
   * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database before the application
   * has written its last lines at shutdown. CACHE_SIZE=2048 (KB; H2's default is 16 MB): the cache
   * keeps the pages just written, and at 50 MB/s of output blocks 16 MB outlived G1's young
   * collections and died in the old generation. With 2 MB, a batched 1,000,000-line run promoted 18
   * MB instead of 48 (nine runs: 165 MB instead of 435), and G1 took 0.18 s of CPU instead of 0.61.
   * ANALYZE_AUTO=0: H2 otherwise analyzes a table in the commit after every 2,000 x 2^k changes,
   * which for the event blocks reads 1,000 of them back (84 MB of output) to compute statistics
   * that no query here uses (every block read is a range of the primary key): 40 to 270 ms of CPU
   * each on a bench database, in the writer's commit (async-profiler found it there).
   */
  private static String embeddedUrl(Config config) {
    Path data =
        Path.of(config.getOptionalValue("scriptcast.data", String.class).orElse(DEFAULT_DATA));
    return "jdbc:h2:file:"
        + data.toAbsolutePath().normalize().resolve("scriptcast")
        + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=2048;ANALYZE_AUTO=0";
  }

  /**
   * Drivers are looked up in the application's class path, not through {@code DriverManager}, which
   * only knows drivers of the server's class path.
   */
  private static Driver driverFor(String url) {
    for (Driver candidate : ServiceLoader.load(Driver.class, Database.class.getClassLoader())) {
      try {
        if (candidate.acceptsURL(url)) {
          return candidate;
        }
      } catch (SQLException e) {
        // not this one
      }
    }
    throw new IllegalStateException("No JDBC driver for scriptcast.db.url " + url);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return driver.connect(url, credentials);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties given = new Properties();
    given.setProperty("user", user);
    given.setProperty("password", password);
    return driver.connect(url, given);
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // the driver logs through its own logging
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // the driver's default
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("Not a wrapper of " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
