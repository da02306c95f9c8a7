package org.scriptcast.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Payara Micro with the built WAR, started by the test itself, for what Arquillian cannot do:
 * killing the server hard, and starting it again on the same data folder.
 */
final class MicroServer implements AutoCloseable {

  private static final Pattern GENERATION_USED =
      Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

  private final Process process;
  private final int port;
  private Path log;
  final Api api;

  private MicroServer(Process process, int port) throws IOException {
    this.process = process;
    this.port = port;
    this.api = new Api(new URL("http://127.0.0.1:" + port + "/"));
  }

  /** Starts a server on the test catalog with {@code data} as its data folder; waits until up. */
  static MicroServer start(Path data, String logName, String... properties) {
    return start(war(), data, logName, properties);
  }

  /** The same, with these Payara Micro options: {@link #war()} or {@link #member}. */
  static MicroServer start(
      List<String> microOptions, Path data, String logName, String... properties) {
    Path log = logFile(logName);
    MicroServer server = launch(microOptions, data, log, properties);
    server.log = log;
    server.awaitUp(log);
    return server;
  }

  /**
   * Starts a server and waits only until Payara Micro itself is ready, whether the application
   * deployed or not: for configurations that are meant to fail.
   */
  static MicroServer startUntilReady(Path data, String logName, String... properties)
      throws IOException {
    Path log = logFile(logName);
    MicroServer server = launch(war(), data, log, properties);
    server.log = log;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (server.process.isAlive()
        && System.nanoTime() < deadline
        && !Files.readString(log).contains(" ready in ")) {
      sleep(200);
    }
    return server;
  }

  /** What the server has logged so far. */
  String log() throws IOException {
    return Files.readString(log);
  }

  private static Path logFile(String logName) {
    return Path.of(System.getProperty("project.basedir"), "target", logName + ".log");
  }

  /** The WAR at context root /, alone. */
  static List<String> war() {
    return List.of(
        "--deploy", System.getProperty("scriptcast.war"), "--contextroot", "/", "--nocluster");
  }

  /**
   * The WAR as a member of a Hazelcast cluster of its own name, on loopback, listening for members
   * on {@code hazelcastPort} and finding them at {@code members} (never multicast).
   */
  static List<String> member(String cluster, int hazelcastPort, String members) {
    return List.of(
        "--deploy",
        System.getProperty("scriptcast.war"),
        "--contextroot",
        "/",
        "--clustername",
        cluster,
        "--clustermode",
        "tcpip:" + members,
        "--startport",
        Integer.toString(hazelcastPort),
        "--interfaces",
        "127.0.0.1");
  }

  /** A port nobody listens on now. */
  static int freePort() {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MicroServer launch(
      List<String> microOptions, Path data, Path log, String... properties) {
    try {
      int port = freePort();
      Path basedir = Path.of(System.getProperty("project.basedir"));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of(System.getProperty("micro.jvm").trim().split("\\s+")));
      command.add("-Dscriptcast.catalog=" + basedir.resolve("src/test/catalog"));
      command.add("-Dscriptcast.data=" + data);
      command.add("-Dscriptcast.users=" + basedir.resolve("src/test/users.json"));
      command.addAll(List.of(properties));
      command.addAll(List.of("-jar", System.getProperty("micro.jar")));
      command.addAll(microOptions);
      command.addAll(
          List.of(
              "--port",
              Integer.toString(port),
              "--prebootcommandfile",
              basedir.resolve("server-config/pre-boot-commands.asadmin").toString(),
              "--postbootcommandfile",
              basedir.resolve("server-config/post-boot-commands.asadmin").toString()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new MicroServer(process, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitUp(Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Payara Micro ended at start-up; see " + log);
      }
      try {
        if (api.get("api/scripts").statusCode() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Payara Micro did not start in 180 s; see " + log);
      }
      sleep(200);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** SIGKILL: the server gets no chance to write anything more. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** SIGTERM: the server stops normally. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  /**
   * The server's heap in use after a full collection, in KiB: what it holds on to. Asked with
   * {@code jcmd} (GC.run, then GC.heap_info), which reads the serial collector's generations.
   */
  long heapAfterFullGcKib() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher used = GENERATION_USED.matcher(jcmd("GC.heap_info"));
    long total = 0;
    while (used.find()) {
      total += Long.parseLong(used.group(1));
    }
    if (total == 0) {
      throw new IllegalStateException("jcmd GC.heap_info showed no generations");
    }
    return total;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    jcmd.waitFor();
    return output;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
