package org.scriptcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.scriptcast.it.Api.eventually;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded database on a disk that fills up under a run, and gets room again: the server must
 * store every line that waited, by itself. H2 closes its database at a write that fails (in each of
 * the last three runs of this test), and its pooled connections then fail for good unless the pool
 * checks them (web.xml): without that check this test failed in five runs of five. The disk is a
 * small tmpfs, so this needs the right to mount one (root, as CI runs); elsewhere it is skipped,
 * with the reason.
 */
class FullDiskIT {

  private static final Path DISK = Path.of("target", "full-disk").toAbsolutePath();
  private static final Path FILLER = DISK.resolve("filler");

  private static boolean mounted;
  private static MicroServer server;

  @BeforeAll
  static void startOnASmallDisk() throws Exception {
    Files.createDirectories(DISK);
    mounted = command("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", DISK.toString()) == 0;
    assumeTrue(mounted, "cannot mount a tmpfs here (needs root): the full-disk test is skipped");
    server = MicroServer.start(DISK.resolve("data"), "full-disk");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (mounted) {
      command("umount", DISK.toString());
    }
  }

  @Test
  void aRunOnAFullDiskIsStoredWholeOnceThereIsRoomAgain() throws Exception {
    String id = server.api.start("count", "{\"lines\": 1000000}").getString("id");
    fill(); // while it runs: the run's blocks take about 9 MB
    eventually(
        "storing the run has failed for want of room",
        Duration.ofMinutes(2),
        () -> log().contains("Could not store the events of run " + id));

    Files.delete(FILLER);
    eventually(
        "the run has ended and is stored",
        Duration.ofMinutes(5),
        () -> "SUCCEEDED".equals(stored(id).getString("state")));
    assertTrue(log().contains("The events of run " + id + " are stored again"), "see the log");
    assertEquals(1_000_004, stored(id).getJsonNumber("lastEventId").longValue());
    server.api.followCount(id, 1_000_000); // every line from the database, once and in order
  }

  /**
   * Writes a file over all the room the disk has left. The server writes at the same time, so
   * whichever of the two comes second finds the disk full: the file ends there.
   */
  private static void fill() throws IOException {
    byte[] megabyte = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(FILLER)) {
      while (true) {
        out.write(megabyte);
      }
    } catch (IOException full) {
      if (Files.getFileStore(DISK).getUsableSpace() > megabyte.length) {
        throw full; // not for want of room
      }
    }
  }

  private static JsonObject stored(String id) {
    return server.api.stored(id);
  }

  private static String log() {
    try {
      return server.log();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int command(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().transferTo(OutputStream.nullOutputStream());
    return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }
}
