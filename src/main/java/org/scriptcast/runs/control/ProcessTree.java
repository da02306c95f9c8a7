package org.scriptcast.runs.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scriptcast.catalog.control.CommandLine;

/**
 * Every process of one run, found in {@code /proc}: the script was started as the leader of its own
 * session ({@code setsid}), so its children share its session and process group; and every process
 * it started carries {@code SCRIPTCAST_RUN_ID} in its environment, which {@code /proc/PID/environ}
 * still shows after a child started a session of its own or was re-parented to init. Java's {@code
 * ProcessHandle.descendants()} loses such children, so it is not used.
 */
final class ProcessTree {

  private static final Path PROC = Path.of("/proc");

  private final long leader;
  private final byte[] marker;

  ProcessTree(long leader, String runId) {
    this.leader = leader;
    this.marker = (CommandLine.RUN_ID_VARIABLE + "=" + runId).getBytes(StandardCharsets.UTF_8);
  }

  /** SIGTERM to every live process of the run; the number of processes signalled. */
  int terminate() {
    return signal(false);
  }

  /** SIGKILL to every live process of the run; the number of processes signalled. */
  int kill() {
    return signal(true);
  }

  private int signal(boolean kill) {
    int signalled = 0;
    for (ProcessHandle process : members()) {
      if (kill ? process.destroyForcibly() : process.destroy()) {
        signalled++;
      }
    }
    return signalled;
  }

  /** The live processes of the run, its leader included while it lives. */
  List<ProcessHandle> members() {
    List<ProcessHandle> members = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path process : processes) {
        long pid = Long.parseLong(process.getFileName().toString());
        if (pid != self && (inSession(process) || carriesMarker(process))) {
          ProcessHandle.of(pid).ifPresent(members::add);
        }
      }
    } catch (IOException e) {
      // no /proc: only the leader can be found
      ProcessHandle.of(leader).ifPresent(members::add);
    }
    return members;
  }

  /**
   * {@code /proc/PID/stat} is "pid (command) state ppid pgrp session ...", where the command may
   * hold spaces and parentheses: the fields are counted from the last ')'. A zombie is not live.
   */
  private boolean inSession(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"), StandardCharsets.ISO_8859_1);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
      return !fields[0].equals("Z")
          && (Long.parseLong(fields[2]) == leader || Long.parseLong(fields[3]) == leader);
    } catch (IOException | RuntimeException e) {
      return false; // gone meanwhile
    }
  }

  private boolean carriesMarker(Path process) {
    byte[] environment;
    try {
      environment = Files.readAllBytes(process.resolve("environ"));
    } catch (IOException e) {
      return false; // gone, or not ours to read
    }
    // variables are NUL-separated: the marker must start a variable and end with it
    for (int start = 0; start + marker.length <= environment.length; start++) {
      if ((start == 0 || environment[start - 1] == 0)
          && (start + marker.length == environment.length
              || environment[start + marker.length] == 0)
          && matchesAt(environment, start)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesAt(byte[] environment, int start) {
    for (int i = 0; i < marker.length; i++) {
      if (environment[start + i] != marker[i]) {
        return false;
      }
    }
    return true;
  }
}
