package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EAR that {@code mvn package} builds, deployed as an operator deploys it on a full Jakarta EE
 * 10 server: Payara Server (unpacked by the {@code ear} profile; Payara Micro deploys no EARs), a
 * domain of its own on free ports, the executors of server-config/, {@code asadmin deploy}. Then
 * the smoke checks of the WAR: login, catalog, a run followed to its end, the pages.
 */
class EarIT {

  private static final Path SERVER = Path.of("target", "payara-server", "payara6").toAbsolutePath();
  private static final String DOMAIN = "scriptcast-ear-it";
  private static int portBase;
  private static Api api;

  @BeforeAll
  static void deploy() throws Exception {
    portBase = freePortBase();
    Path basedir = Path.of(System.getProperty("project.basedir"));
    asadmin("delete-domain", DOMAIN); // left by an interrupted run, if any
    check(
        asadmin("create-domain", "--nopassword", "--portbase", Integer.toString(portBase), DOMAIN));
    check(asadmin("start-domain", DOMAIN));
    // the README's commands for a full server: the transport setting needs a restart to act, which
    // this test does not need; it checks that the command is right for Payara Server
    check(
        remote(
            "multimode",
            "--file",
            basedir.resolve("server-config/pre-boot-commands.asadmin").toString()));
    String bufferSize =
        remote(
            "get",
            "configs.config.server-config.network-config.transports.transport.tcp"
                + ".socket-write-buffer-size");
    assertTrue(bufferSize.contains("socket-write-buffer-size=262144"), bufferSize);
    check(
        remote(
            "multimode",
            "--file",
            basedir.resolve("server-config/post-boot-commands.asadmin").toString()));
    check(
        remote(
            "create-system-properties",
            "scriptcast.catalog="
                + basedir.resolve("src/test/catalog")
                + ":scriptcast.users="
                + basedir.resolve("src/test/users.json")
                + ":scriptcast.data="
                + basedir.resolve("target/ear-data")));
    check(remote("deploy", System.getProperty("scriptcast.ear")));
    api = new Api(new URL("http://127.0.0.1:" + (portBase + 80) + "/"));
  }

  @AfterAll
  static void undeploy() throws Exception {
    asadmin("stop-domain", "--kill", DOMAIN);
    asadmin("delete-domain", DOMAIN);
  }

  @Test
  void theEarServesTheApiTheRunsAndThePagesAtTheRoot() {
    assertEquals(401, api.withAuthorization(null).get("api/scripts").statusCode());
    assertEquals(200, api.get("api/scripts").statusCode());
    String id = api.start("count", "{\"lines\": 3}").getString("id");
    List<SseEvent> events = api.follow(id);
    assertEquals(List.of("1", "2", "3"), SseEvent.data(events, "stdout"));
    assertEquals(List.of("0"), SseEvent.data(events, "result"));
    assertEquals("1\n2\n3\n", api.get("api/runs/" + id + "/log", "text/plain").body());
    HttpResponse<String> login = api.withAuthorization(null).get("login.xhtml", "text/html");
    assertEquals(200, login.statusCode());
    assertTrue(login.body().contains("<form"), login.body());
  }

  /**
   * The cluster path uses Payara's Hazelcast directly (clustered CDI observers are reported not to
   * fire inside an EAR, payara#5262): inside the EAR, too, the application finds it.
   */
  @Test
  void insideTheEarTheApplicationFindsPayarasHazelcast() throws IOException {
    Path log = SERVER.resolve("glassfish/domains/" + DOMAIN + "/logs/server.log");
    String text = Files.readString(log);
    assertTrue(text.contains("scriptcast joined the Hazelcast cluster as server"), text);
  }

  /** A base of ports whose admin (+48) and HTTP (+80) ports are free. */
  private static int freePortBase() throws IOException {
    for (int base = 20000 + (int) (Math.random() * 200) * 100; ; base += 100) {
      if (free(base + 48) && free(base + 80) && free(base + 81) && free(base + 86)) {
        return base;
      }
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String remote(String... command) throws Exception {
    List<String> withPort = new ArrayList<>(List.of("--port", Integer.toString(portBase + 48)));
    withPort.addAll(List.of(command));
    return asadmin(withPort.toArray(String[]::new));
  }

  /** Runs asadmin; its output, with its exit code in the first line. */
  private static String asadmin(String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(SERVER.resolve("bin/asadmin").toString()));
    line.addAll(List.of(command));
    Path output = Files.createTempFile("asadmin", ".txt");
    Process process =
        new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    String text = "exit " + process.exitValue() + ": " + line + "\n" + Files.readString(output);
    Files.delete(output);
    return text;
  }

  private static void check(String asadmin) {
    assertTrue(asadmin.startsWith("exit 0:"), asadmin);
  }
}
