// The start-up workload of DESIGN.md: "the run command to the first page in the time Payara Micro
// itself needs plus <= 3 s". It boots Payara Micro as the README's run command does (no JVM flags,
// the example catalog, a fresh data folder: a new user's first start), once with scriptcast and
// once with a WAR that holds one static page (Payara Micro itself), alternated, ROUNDS times each,
// and times each from the launch to the first 200 of GET / (redirects followed: scriptcast's
// sign-in page). Prints each boot to stderr and writes the row of bench/Bench.java's table to OUT.
//
//   java bench/Startup.java PAYARA_MICRO_JAR SCRIPTCAST_WAR PORT OUT   (bench/run does this)
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
import java.util.zip.ZipOutputStream;

class Startup {

  static final int ROUNDS = 3;
  static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(1))
      .build();

  record Boot(long millis, long cpuMillis) {}

  public static void main(String[] args) throws Exception {
    Path micro = Path.of(args[0]), war = Path.of(args[1]), out = Path.of(args[3]);
    int port = Integer.parseInt(args[2]);
    Path alone = emptyWar(Path.of("target/bench-startup-alone.war"));
    List<Boot> payara = new ArrayList<>(), scriptcast = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      // alternated, so that a slow moment of the machine falls on both
      payara.add(boot("Payara Micro alone", round, micro, alone, port, List.of()));
      scriptcast.add(boot("scriptcast", round, micro, war, port,
          List.of("--postbootcommandfile", "server-config/post-boot-commands.asadmin")));
    }
    Boot p = median(payara), s = median(scriptcast);
    String row = String.format(Locale.ROOT,
        "| start-up: launch to the first page, a fresh data folder (median of %d, alternated) | | | |"
            + " scriptcast %.1f s (CPU %.1f s), Payara Micro alone %.1f s (CPU %.1f s): **+%.1f s**"
            + " (each boot: scriptcast %s, alone %s) | | |",
        ROUNDS, s.millis / 1e3, s.cpuMillis / 1e3, p.millis / 1e3, p.cpuMillis / 1e3,
        (s.millis - p.millis) / 1e3, seconds(scriptcast), seconds(payara));
    Files.writeString(out, row + "\n");
  }

  /** Launches Payara Micro with the WAR and waits for the first page; then stops it. */
  static Boot boot(String name, int round, Path micro, Path war, int port, List<String> more)
      throws Exception {
    Path data = Files.createTempDirectory("scriptcast-startup");
    List<String> command = new ArrayList<>(List.of("java", "-Dscriptcast.data=" + data,
        "-jar", micro.toString(), "--deploy", war.toString(), "--contextroot", "/",
        "--port", Integer.toString(port), "--nocluster"));
    command.addAll(more);
    Path log = Path.of("target/bench-startup-" + name.replace(' ', '-') + ".log");
    HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(30)).build();
    if (answers(first)) {
      throw new IllegalStateException("port " + port + " is taken: this would time another server");
    }
    long start = System.nanoTime();
    Process server = new ProcessBuilder(command).redirectErrorStream(true)
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

  static void delete(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
