package org.scriptcast.runs.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.scriptcast.runs.entity.EventBlock;
import org.scriptcast.runs.entity.EventType;
import org.scriptcast.runs.entity.Lines;
import org.scriptcast.runs.entity.RunEvent;

/**
 * The steps of the per-line path that run once per line, alone: cutting a pipe read into lines,
 * encoding them as SSE (one event each, or one batch), and encoding them for storage. One
 * operation is one line, so the scores are lines per second on one core, to hold against the
 * server's figures in bench/run. Run with {@code bench/micro}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PerLineBenchmark {

  /** As many lines as one 64 KiB pipe read holds of bench/catalog's 80-byte lines. */
  static final int LINES = 819;

  private byte[] read;
  private List<RunEvent> events;
  private LineSplitter splitter;
  private final Lines lines = new Lines();
  private EventPage page;
  private EventPage scanned;

  @Setup
  public void setUp() {
    StringBuilder text = new StringBuilder();
    events = new ArrayList<>(LINES);
    for (int i = 1; i <= LINES; i++) {
      String line = String.format("%010d %068d", i, 0);
      text.append(line).append('\n');
      events.add(new RunEvent(i, EventType.STDOUT, line, 1_700_000_000_000L + i / 100));
    }
    read = text.toString().getBytes(StandardCharsets.UTF_8);
    splitter = new LineSplitter(65536);
    // as followers read them: from a run's log, the splitter having marked the plain lines
    RunLog log =
        new RunLog(
            new org.scriptcast.runs.entity.Run(
                "r-bench", "bench", jakarta.json.JsonValue.EMPTY_JSON_OBJECT, "bench",
                java.time.Instant.now()),
            (runId, after, max) -> EventPage.EMPTY);
    Lines split = new Lines();
    new LineSplitter(65536).split(read, 0, read.length, split);
    log.append(EventType.STDOUT, split, 1_700_000_000_000L);
    page = log.page(0, LINES);
    // as they come from the database: no line is marked, every byte is looked at
    scanned = EventPage.of(events);
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public Lines splitLines() {
    lines.clear();
    splitter.split(read, 0, read.length, lines);
    return lines;
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public int encodeOneEventPerLine() {
    EventStreamChunk chunk = new EventStreamChunk(LINES * 120);
    for (int i = 0; i < LINES; i++) {
      chunk.add(page, i);
    }
    return chunk.size();
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public int encodeBatch() {
    return batch(page);
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public int encodeBatchScanned() {
    return batch(scanned);
  }

  private static int batch(EventPage events) {
    EventStreamChunk chunk = new EventStreamChunk(LINES * 160).beginBatch(LINES);
    for (int i = 0; i < LINES; i++) {
      chunk.addToBatch(events, i);
    }
    return chunk.endBatch().size();
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public int encodeForStorage() {
    List<EventBlock> blocks = new ArrayList<>();
    EventBlocks.encode("r-bench", page, 0, Integer.MAX_VALUE, blocks);
    return blocks.size();
  }
}
