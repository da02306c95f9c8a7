package org.scriptcast.runs.control;

import jakarta.enterprise.event.Event;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scriptcast.catalog.control.CommandLine;
import org.scriptcast.runs.control.Executions.Execution;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Lines;
import org.scriptcast.runs.entity.Run;
import org.scriptcast.runs.entity.RunOutput;
import org.scriptcast.runs.entity.RunState;
import org.scriptcast.runs.entity.RunStateChanged;

/**
 * Runs one run's process from start to exit code: starts it from its argv (never a shell) as the
 * leader of a session of its own, reads standard output and standard error in two tasks, waits for
 * the script's own process (at most its timeout), and fires what happens as CDI events. It never
 * waits on a reader of the run: followers read the log at their own pace.
 *
 * <p>The run ends when the script's process ends, not when its pipes close: a child that keeps them
 * open gets {@link #DRAIN_MILLIS} to let what is in them through, and then the run's left-over
 * processes are killed.
 */
public final class ProcessSupervisor {

  private static final Logger LOG = Logger.getLogger(ProcessSupervisor.class.getName());
  private static final File NO_INPUT = new File("/dev/null");

  /**
   * util-linux's setsid: the script leads a session and process group of its own. Called by a
   * process that is not a group leader (the JVM's child), it execs in place: same pid, same exit.
   */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /** One pipe read: large enough that a fast script costs one event for many lines. */
  private static final int READ_SIZE = 64 * 1024;

  /**
   * A read that brought less than a quarter of {@link #READ_SIZE} this soon after the one before:
   * the script prints fast, in small writes, and the reader was woken for each of them.
   */
  private static final long BURST_NANOS = 1_000_000;

  /**
   * How long the reader waits after such a read, so that the next one takes more at once: fewer
   * reads, appends and follower wake-ups for the same lines. A batched 1,000,000-line run, two
   * series of ten runs each way, alternated: 1,500 to 7,700 reads a run before (medians about 3,200
   * and 4,100), 1,500 to 3,550 after (1,700 and 1,700); the pipe reader's CPU, medians 89 and 100
   * ms before, 75 and 83 after. 250 us read no less often. A script that prints now and then is
   * read at once, as before: the latency workload (a line every 10 ms) never waits.
   */
  private static final long COALESCE_NANOS = 100_000;

  static final String MASK = "***";

  /**
   * After the script exits, its pipes may stay silent this long before the run ends without them.
   */
  static final long DRAIN_MILLIS = 500;

  /**
   * After the script exits, its pipes get this long in all, however busy: what the script itself
   * left in them (a pipe holds at most 1 MiB) takes milliseconds, so more is a child that outlived
   * it and keeps printing, which would otherwise keep the run open, past its timeout, for good.
   */
  static final long DRAIN_LIMIT_MILLIS = 5_000;

  private final Event<RunOutput> output;
  private final Event<RunStateChanged> changes;
  private final ExecutorService readers;
  private final Executions executions;
  private final int maxLineBytes;

  public ProcessSupervisor(
      Event<RunOutput> output,
      Event<RunStateChanged> changes,
      ExecutorService readers,
      Executions executions,
      int maxLineBytes) {
    this.output = output;
    this.changes = changes;
    this.readers = readers;
    this.executions = executions;
    this.maxLineBytes = maxLineBytes;
  }

  public void supervise(Run run, CommandLine command, int timeoutSeconds) {
    if (run.cancelledBy() != null) {
      end(run, RunState.CANCELLED, null); // cancelled on its way from the queue
      return;
    }
    Path program = Path.of(command.argv().get(0));
    if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
      fail(run, "scriptcast: cannot start " + program + ": not an executable file");
      return;
    }
    String interpreter = interpreter(program);
    if (interpreter != null
        && interpreter.startsWith("/") // a relative one is the kernel's to find, from the folder
        && !Files.isExecutable(Path.of(interpreter))) {
      // setsid would report the failed exec as its own exit 127, a code the script never gave
      fail(run, "scriptcast: cannot start " + program + ": no interpreter " + interpreter);
      return;
    }
    List<String> argv = new ArrayList<>(command.argv());
    if (Files.isExecutable(SETSID)) {
      argv.add(0, SETSID.toString());
    }
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(command.directory().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
    builder.environment().clear();
    builder.environment().putAll(command.environment());
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      fail(run, "scriptcast: cannot start " + program + ": " + e.getMessage());
      return;
    }
    Execution execution = executions.register(run.id(), new ProcessTree(process.pid(), run.id()));
    try {
      if (run.start(Instant.now())) {
        changes.fire(new RunStateChanged(run));
      }
      if (run.cancelledBy() != null) {
        executions.stop(execution, RunState.CANCELLED);
      }
      List<String> secrets = command.secrets();
      Output output = new Output();
      Future<?> out =
          readers.submit(
              () -> pump(run, process.getInputStream(), EventType.STDOUT, secrets, output));
      Future<?> err =
          readers.submit(
              () -> pump(run, process.getErrorStream(), EventType.STDERR, secrets, output));
      int exitCode = awaitExit(process, execution, timeoutSeconds);
      // as of the exit: a cancel that comes while the pipes drain stops the children, but the
      // script had already ended by itself
      RunState stopped = execution.stopReason();
      drain(run, output, out, err);
      // whatever the script left behind dies with its run
      executions.killInGrace(execution.tree);
      end(
          run,
          stopped != null ? stopped : exitCode == 0 ? RunState.SUCCEEDED : RunState.FAILED,
          exitCode);
    } catch (RuntimeException | Error e) {
      // scriptcast failed, not the script (a reader refused by an executor that shuts down): the
      // run must not stay RUNNING, nor its processes outlive it
      execution.tree.kill();
      RunState stopped = execution.stopReason();
      end(run, stopped != null ? stopped : RunState.FAILED, null);
      throw e;
    } finally {
      executions.remove(run.id());
    }
  }

  /**
   * The script's exit code, after its timeout at most (then it is stopped as TIMED_OUT). A thread
   * interrupted here means the server is stopping: the run is stopped as INTERRUPTED, and its exit
   * is still awaited, so no process is left behind.
   */
  private int awaitExit(Process process, Execution execution, int timeoutSeconds) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return process.exitValue();
          }
          executions.stop(execution, RunState.TIMED_OUT);
          timeoutSeconds = Integer.MAX_VALUE;
        } catch (InterruptedException e) {
          interrupted = true;
          executions.stop(execution, RunState.INTERRUPTED);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Lets both readers finish what is in the pipes. They get as long as they make progress (or wait
   * for the writer to store what they read: that is the database, not the script); once neither has
   * read anything for {@link #DRAIN_MILLIS}, or after {@link #DRAIN_LIMIT_MILLIS} in all, whatever
   * still holds a pipe open is a child that outlived the script, and the run ends without it.
   */
  private void drain(Run run, Output output, Future<?> out, Future<?> err) {
    long seen = -1;
    long start = System.nanoTime();
    long idleSince = start;
    while (!(out.isDone() && err.isDone())) {
      long progress = output.progress.get();
      long now = System.nanoTime();
      if (now - start > TimeUnit.MILLISECONDS.toNanos(DRAIN_LIMIT_MILLIS)) {
        LOG.fine(() -> "Run " + run.id() + " ended with a child still printing");
        return;
      } else if (progress != seen || output.appending.get() > 0) {
        seen = progress;
        idleSince = now;
      } else if (now - idleSince > TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS)) {
        // a child still holds the pipe open: the run ends anyway, the log takes nothing more
        LOG.fine(() -> "Run " + run.id() + " ended with its output still open");
        return;
      }
      try {
        (out.isDone() ? err : out).get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // look at the progress again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        LOG.log(Level.WARNING, "Reading the output of run " + run.id() + " failed", e);
        return;
      }
    }
  }

  /** What the two readers of a run have done: reads so far, and appends under way. */
  private static final class Output {
    final AtomicLong progress = new AtomicLong();
    final AtomicInteger appending = new AtomicInteger();
  }

  /**
   * A secret parameter's value never reaches an event, the log or the database: it is replaced by
   * {@code ***} in every line. Costs nothing for runs without secrets.
   */
  static Lines mask(Lines lines, List<String> secrets) {
    if (secrets.isEmpty()) {
      return lines;
    }
    String[] masked = new String[lines.size()];
    for (int i = 0; i < masked.length; i++) {
      String line = lines.text(i);
      for (String secret : secrets) {
        if (line.contains(secret)) {
          line = line.replace(secret, MASK);
        }
      }
      masked[i] = line;
    }
    return Lines.of(masked);
  }

  /** The interpreter a script's {@code #!} line names, or null when it has none. */
  static String interpreter(Path program) {
    byte[] start = new byte[256];
    int read;
    try (InputStream in = Files.newInputStream(program)) {
      read = in.readNBytes(start, 0, start.length);
    } catch (IOException e) {
      return null; // the exec will say what is wrong
    }
    if (read < 3 || start[0] != '#' || start[1] != '!') {
      return null;
    }
    String line = new String(start, 2, read - 2, StandardCharsets.UTF_8).split("\n", 2)[0].trim();
    return line.isEmpty() ? null : line.split("[ \t]", 2)[0];
  }

  /** A process that never started: the reason as a line of standard error, then FAILED. */
  private void fail(Run run, String reason) {
    output.fire(
        new RunOutput(run.id(), EventType.STDERR, Lines.of(reason), System.currentTimeMillis()));
    end(run, RunState.FAILED, null);
  }

  private void end(Run run, RunState state, Integer exitCode) {
    if (run.finish(state, exitCode, Instant.now())) {
      changes.fire(new RunStateChanged(run));
    }
  }

  private void pump(
      Run run, InputStream pipe, EventType stream, List<String> secrets, Output progress) {
    byte[] buffer = new byte[READ_SIZE];
    LineSplitter splitter = new LineSplitter(maxLineBytes, secrets);
    Lines lines = new Lines(); // reused: the log copies the lines before the event returns
    try (pipe) {
      int read;
      long lastRead = 0;
      while ((read = pipe.read(buffer)) != -1) {
        long now = System.nanoTime();
        progress.progress.incrementAndGet();
        run.addOutputBytes(read);
        splitter.split(buffer, 0, read, lines);
        if (!lines.isEmpty()) {
          append(run, stream, lines, secrets, progress);
          lines.clear();
        }
        if (read < READ_SIZE / 4 && now - lastRead < BURST_NANOS) {
          LockSupport.parkNanos(COALESCE_NANOS);
        }
        lastRead = now;
      }
    } catch (IOException e) {
      // the pipe broke: keep what was read, the exit code tells the rest
      LOG.log(Level.FINE, "Pipe of run " + run.id() + " closed", e);
    }
    splitter.finish(lines);
    if (!lines.isEmpty()) {
      append(run, stream, lines, secrets, progress);
    }
  }

  /** Fires a batch of lines; it may wait for the writer (storage back-pressure): progress too. */
  private void append(
      Run run, EventType stream, Lines lines, List<String> secrets, Output progress) {
    progress.appending.incrementAndGet();
    try {
      output.fire(
          new RunOutput(run.id(), stream, mask(lines, secrets), System.currentTimeMillis()));
    } finally {
      progress.appending.decrementAndGet();
    }
  }
}
