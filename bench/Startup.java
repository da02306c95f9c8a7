// The start-up workload of DESIGN.md: "the run command to the first page in the time Payara Micro
// itself needs plus <= 3 s". It boots Payara Micro as the README's run command does (no JVM flags,
// the example catalog, a fresh data folder: a new user's first start) with four WARs, alternated,
// ROUNDS times each: scriptcast; a WAR that holds one static page (Payara Micro itself); the
// skeleton of the fixed shape (bench/skeleton: a JAX-RS SSE resource, a @Stateless EJB with an
// executor, a CDI event, one Faces page, and nothing else); and that skeleton with an embedded
// database as scriptcast's (bench/skeleton/database: JPA on H2, one table, one query at start-up).
// The skeletons show how much of the difference the stack takes before any of scriptcast's code.
// Each boot is timed from the launch to the first 200 of GET / (redirects followed: scriptcast's
// sign-in page). Prints each boot to stderr and writes the row of bench/Bench.java's table to OUT.
//
//   java bench/Startup.java PAYARA_MICRO_JAR SCRIPTCAST_WAR PORT OUT CLASSPATH   (bench/run does this)
//
// CLASSPATH: the Jakarta EE API to compile the skeletons against (mvn dependency:build-classpath).
// STARTUP_JVM (environment): JVM flags for every boot of all four WARs alike, to compare settings,
// e.g. STARTUP_JVM=-XX:TieredStopAtLevel=1 bench/run --startup-only.
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;

class Startup {

  static final int ROUNDS = 3;
  static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(1))
      .build();

  record Boot(long millis, long cpuMillis) {}

  public static void main(String[] args) throws Exception {
    Path micro = Path.of(args[0]).toAbsolutePath(), war = Path.of(args[1]).toAbsolutePath();
    int port = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    Path alone = emptyWar(Path.of("target/bench-startup-alone.war").toAbsolutePath());
    String classpath = Files.readString(Path.of(args[4])).trim();
    Path shape = skeletonWar("bench-skeleton-without-database", classpath, null);
    Path skeleton = skeletonWar("bench-skeleton", classpath, war);
    // each boot runs in a fresh folder, so the example catalog that the README's command finds
    // relative to the project is named by its absolute path; everything else is the default
    List<String> asReadme = List.of(
        "-Dscriptcast.catalog=" + Path.of("server-config/catalog").toAbsolutePath());
    List<String> bootCommands = List.of(
        "--prebootcommandfile", Path.of("server-config/pre-boot-commands.asadmin").toAbsolutePath().toString(),
        "--postbootcommandfile", Path.of("server-config/post-boot-commands.asadmin").toAbsolutePath().toString());
    List<Boot> payara = new ArrayList<>(), bare = new ArrayList<>(), stack = new ArrayList<>();
    List<Boot> scriptcast = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      // alternated, so that a slow moment of the machine falls on all four
      payara.add(boot("Payara Micro alone", round, micro, alone, port, List.of(), List.of()));
      bare.add(boot("skeleton without a database", round, micro, shape, port, List.of(), List.of()));
      stack.add(boot("skeleton", round, micro, skeleton, port, List.of(), List.of()));
      scriptcast.add(boot("scriptcast", round, micro, war, port, asReadme, bootCommands));
    }
    Boot p = median(payara), b = median(bare), k = median(stack), s = median(scriptcast);
    String row = String.format(Locale.ROOT,
        "| start-up: launch to the first page, a fresh data folder (median of %d, alternated) | | | |"
            + " scriptcast %.1f s (CPU %.1f s), Payara Micro alone %.1f s (CPU %.1f s): **+%.1f s**;"
            + " the fixed shape's skeleton without a database %.1f s: +%.1f s over Payara Micro alone;"
            + " with the embedded database (JPA on H2) %.1f s (CPU %.1f s): +%.1f s;"
            + " scriptcast +%.1f s over it (each boot: scriptcast %s, skeleton %s, without a database"
            + " %s, alone %s) | | |",
        ROUNDS, s.millis / 1e3, s.cpuMillis / 1e3, p.millis / 1e3, p.cpuMillis / 1e3,
        (s.millis - p.millis) / 1e3, b.millis / 1e3, (b.millis - p.millis) / 1e3,
        k.millis / 1e3, k.cpuMillis / 1e3, (k.millis - p.millis) / 1e3,
        (s.millis - k.millis) / 1e3,
        seconds(scriptcast), seconds(stack), seconds(bare), seconds(payara));
    Files.writeString(out, row + "\n");
  }

  /** Launches Payara Micro with the WAR and waits for the first page; then stops it. */
  static Boot boot(String name, int round, Path micro, Path war, int port, List<String> properties,
      List<String> more) throws Exception {
    // started in a fresh folder, where each WAR keeps its database, as on a new user's first start
    Path data = Files.createTempDirectory("scriptcast-startup");
    List<String> command = new ArrayList<>(List.of("java"));
    String jvm = System.getenv().getOrDefault("STARTUP_JVM", "").trim();
    if (!jvm.isEmpty()) {
      command.addAll(List.of(jvm.split("\\s+"))); // the same flags for all three WARs
    }
    command.addAll(properties);
    command.addAll(List.of("-jar", micro.toString(), "--deploy", war.toString(),
        "--contextroot", "/", "--port", Integer.toString(port), "--nocluster"));
    command.addAll(more);
    Path log = Path.of("target/bench-startup-" + name.replace(' ', '-') + ".log").toAbsolutePath();
    HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(30)).build();
    if (answers(first)) {
      throw new IllegalStateException("port " + port + " is taken: this would time another server");
    }
    long start = System.nanoTime();
    Process server = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      long deadline = start + TimeUnit.SECONDS.toNanos(180);
      while (true) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not serve its first page; see " + log);
        }
        if (answers(first)) {
          break;
        }
        Thread.sleep(20);
      }
      Boot boot = new Boot((System.nanoTime() - start) / 1_000_000, cpuMillis(server.pid()));
      System.err.printf(Locale.ROOT, "start-up %d, %s: first page after %.2f s, CPU %.2f s%n",
          round, name, boot.millis / 1e3, boot.cpuMillis / 1e3);
      return boot;
    } finally {
      server.destroy();
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
      delete(data);
    }
  }

  static boolean answers(HttpRequest request) throws InterruptedException {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false; // not listening yet
    }
  }

  /** User and system CPU of the process so far, from /proc (clock ticks of 10 ms). */
  static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  static Boot median(List<Boot> boots) {
    List<Boot> sorted = new ArrayList<>(boots);
    sorted.sort((a, b) -> Long.compare(a.millis, b.millis));
    return sorted.get(sorted.size() / 2);
  }

  static String seconds(List<Boot> boots) {
    List<String> all = new ArrayList<>();
    for (Boot b : boots) {
      all.add(String.format(Locale.ROOT, "%.1f", b.millis / 1e3));
    }
    return String.join(", ", all) + " s";
  }

  /** A WAR with one static page: what Payara Micro needs for an application that needs nothing. */
  static Path emptyWar(Path war) throws IOException {
    try (OutputStream file = Files.newOutputStream(war);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry("index.html"));
      zip.write("<!DOCTYPE html><title>alone</title>".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return war;
  }

  /**
   * The skeleton of the fixed shape (bench/skeleton), compiled against the Jakarta EE API; with
   * {@code scriptcast}'s WAR, also its embedded database (bench/skeleton/database) and the H2
   * driver that scriptcast ships (taken from its WAR). Without it, the same WAR without those.
   */
  static Path skeletonWar(String name, String classpath, Path scriptcast) throws IOException {
    Path dir = Path.of("target", name);
    if (Files.exists(dir)) {
      delete(dir);
    }
    Path source = Path.of("bench/skeleton"), database = source.resolve("database");
    Path classes = dir.resolve("WEB-INF/classes");
    Files.createDirectories(classes.resolve("META-INF"));
    Files.createDirectories(dir.resolve("WEB-INF/lib"));
    List<String> javac = new ArrayList<>(List.of("-nowarn", "-d", classes.toString(), "-cp", classpath));
    List<Path> folders = scriptcast == null ? List.of(source) : List.of(source, database);
    for (Path folder : folders) {
      try (var files = Files.list(folder)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> javac.add(f.toString()));
      }
    }
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("the skeleton did not compile");
    }
    Files.copy(source.resolve("index.xhtml"), dir.resolve("index.xhtml"));
    Files.copy(source.resolve("web.xml"), dir.resolve("WEB-INF/web.xml"));
    Files.copy(source.resolve("beans.xml"), dir.resolve("WEB-INF/beans.xml"));
    if (scriptcast != null) {
      Files.copy(database.resolve("persistence.xml"), classes.resolve("META-INF/persistence.xml"));
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(scriptcast))) {
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
          if (e.getName().matches("WEB-INF/lib/h2-.*\\.jar")) {
            Files.copy(in, dir.resolve(e.getName()));
          }
        }
      }
    }
    Path war = Path.of("target", name.replace("bench-", "bench-startup-") + ".war").toAbsolutePath();
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war));
        var files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    return war;
  }

  static void delete(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
