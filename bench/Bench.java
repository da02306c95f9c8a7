// scriptcast's benchmark: the workloads of DESIGN.md against a running server, with a real SSE
// client (WHATWG parsing, every id once and in order), and one table at the end.
//
//   java bench/Bench.java BASE_URL SERVER_PID [--stalled | --stalled-only | --latency-only]   (bench/run starts the server)
//
// --stalled adds the 2 GB run with a client that never reads (a minute more), last; --stalled-only
// and --latency-only run that one workload alone.
//
// Exits 1 when any delivery was incomplete.
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class Bench {

  static String base;
  static long pid;
  static final String AUTH =
      "Basic " + Base64.getEncoder().encodeToString("bench:bench".getBytes(StandardCharsets.UTF_8));
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final List<String[]> TABLE = new ArrayList<>();
  static boolean complete = true;
  static final AtomicLong peakHeap = new AtomicLong();

  public static void main(String[] args) throws Exception {
    base = args[0].replaceAll("/$", "");
    pid = Long.parseLong(args[1]);
    Thread sampler = new Thread(Bench::sampleHeap);
    sampler.setDaemon(true);
    sampler.start();
    if (List.of(args).contains("--latency-only")) {
      new Follow(start("lines", "{\"n\": 1000000}"), false, 0).run(); // JIT warm-up
      latency();
      print();
      System.exit(complete ? 0 : 1);
    }
    if (List.of(args).contains("--stalled-only")) {
      stalled();
      print();
      System.exit(complete ? 0 : 1);
    }
    // warm-up, not measured: the server's JIT compiles the per-line path first, as in production
    new Follow(start("lines", "{\"n\": 1000000}"), false, 0).run();
    new Follow(start("lines", "{\"n\": 1000000}"), true, 0).run();
    peakHeap.set(0);
    double ceiling = pipeCeiling(1_000_000);
    row("raw pipe ceiling (lines.sh into wc -l)", 1_000_000, ceiling, 80, "", "");
    TABLE.get(TABLE.size() - 1)[5] = ""; // no server in this one
    perLine("per-line stream, 1,000,000 lines, 1 follower", false, ceiling);
    perLine("batched stream, 1,000,000 lines, 1 follower", true, ceiling);
    latency();
    followers(1000);
    concurrentRuns(50, 100_000);
    if (List.of(args).contains("--stalled")) {
      stalled();
    }
    print();
    System.exit(complete ? 0 : 1);
  }

  // ---- workloads ----

  static double pipeCeiling(int n) throws Exception {
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder("sh", "-c", "bench/catalog/bin/lines.sh " + n + " | wc -l")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    if (!out.equals(Integer.toString(n))) {
      throw new IllegalStateException("the pipe printed " + out);
    }
    return n / seconds(start);
  }

  static void perLine(String name, boolean batch, double ceiling) throws Exception {
    long before = peakHeap.getAndSet(0);
    String id = start("lines", "{\"n\": 1000000}");
    Follow follow = new Follow(id, batch, 0);
    follow.run();
    check(name, follow, 1_000_004);
    double rate = follow.lines / follow.seconds();
    row(name, follow.lines, rate, follow.bytes / follow.seconds() / 1e6, "", ratio(rate, ceiling));
    peakHeap.accumulateAndGet(before, Math::max);
  }

  static void latency() throws Exception {
    String id = start("paced", "{\"n\": 1000, \"rate\": \"100\"}");
    Follow follow = new Follow(id, false, 0);
    follow.latencies = new ArrayList<>();
    follow.run();
    check("latency", follow, 1004);
    List<Long> l = follow.latencies;
    Collections.sort(l);
    String p = String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        l.get(l.size() / 2) / 1e6, l.get(l.size() * 99 / 100) / 1e6, l.get(l.size() - 1) / 1e6);
    row("latency, 100 lines/s for 10 s, print to client", follow.lines, follow.lines / follow.seconds(), 0, p, "");
  }

  static void followers(int count) throws Exception {
    // idle first: how much does a connected follower of a silent run cost?
    String quiet = start("paced", "{\"n\": 2, \"rate\": \"0.05\"}");
    long heapBefore = heapAfterGc();
    List<Follow> idle = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Future<?>> idleRuns = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Follow f = new Follow(quiet, false, 0);
      idle.add(f);
      idleRuns.add(pool.submit(() -> { f.run(); return null; }));
    }
    for (Follow f : idle) {
      f.opened.await(60, TimeUnit.SECONDS);
    }
    Thread.sleep(2000);
    long perIdle = (heapAfterGc() - heapBefore) * 1024 / count;
    cancel(quiet);
    for (Future<?> f : idleRuns) {
      f.get(60, TimeUnit.SECONDS);
    }
    // then busy: every follower gets every event of a run of 10,000 lines
    String busy = start("paced", "{\"n\": 10000, \"rate\": \"5000\"}");
    List<Follow> all = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Follow f = new Follow(busy, false, 0);
      all.add(f);
      runs.add(pool.submit(() -> { f.run(); return null; }));
    }
    for (Future<?> f : runs) {
      f.get(300, TimeUnit.SECONDS);
    }
    long delivered = 0;
    for (Follow f : all) {
      check(count + " followers", f, 10_004);
      delivered += f.lines;
    }
    pool.shutdown();
    row(count + " followers of one run of 10,000 lines", delivered, delivered / seconds(start), 0,
        String.format(Locale.ROOT, "idle follower: %.1f KiB of heap", perIdle / 1024.0), "");
  }

  static void concurrentRuns(int runs, int lines) throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Follow> all = new ArrayList<>();
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      String id = start("lines", "{\"n\": " + lines + "}");
      Follow f = new Follow(id, false, 0);
      all.add(f);
      done.add(pool.submit(() -> { f.run(); return null; }));
    }
    for (Future<?> f : done) {
      f.get(600, TimeUnit.SECONDS);
    }
    long delivered = 0;
    for (Follow f : all) {
      check(runs + " runs", f, lines + 4);
      delivered += f.lines;
    }
    pool.shutdown();
    row(runs + " runs of " + lines + " lines at once", delivered, delivered / seconds(start),
        delivered * 80 / seconds(start) / 1e6, "", "");
  }

  /** A client that connects and never reads, while a 2 GB run goes by: the heap must hold. */
  static void stalled() throws Exception {
    long lines = 2_000_000_000L / 80;
    String id = start("lines", "{\"n\": " + lines + "}");
    java.net.Socket socket = new java.net.Socket();
    socket.setReceiveBufferSize(4096);
    URI uri = URI.create(base);
    socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()));
    socket.getOutputStream().write(("GET /api/runs/" + id + "/events HTTP/1.0\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: " + AUTH + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();
    String state = "RUNNING";
    while (state.equals("RUNNING") || state.equals("QUEUED")) {
      Thread.sleep(1000);
      try {
        state = json(get("/api/runs/" + id), "state");
      } catch (IOException e) {
        state = "server gone: " + e.getMessage();
      }
      if (!ProcessHandle.of(pid).isPresent()) {
        state = "server died";
      }
    }
    boolean held = state.equals("SUCCEEDED");
    complete &= held;
    socket.close();
    row("2 GB run, one stalled follower", lines, lines / seconds(start), 0,
        held ? "server held (peak heap above)" : "FAILED: " + state, "");
  }

  // ---- the SSE client ----

  static final class Follow {
    final String id;
    final boolean batch;
    long after;
    long lines;
    long bytes;
    long expectedNext;
    long lastId;
    boolean ordered = true;
    boolean ended;
    long firstAt;
    long lastAt;
    List<Long> latencies;
    final CountDownLatch opened = new CountDownLatch(1);

    Follow(String id, boolean batch, long after) {
      this.id = id;
      this.batch = batch;
      this.after = after;
      this.expectedNext = after + 1;
    }

    double seconds() {
      return Math.max(1e-9, (lastAt - firstAt) / 1e9);
    }

    void run() throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/events" + (batch ? "?format=batch" : "")))
              .header("Accept", "text/event-stream")
              .header("Authorization", AUTH)
              .build();
      HttpResponse<InputStream> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      opened.countDown();
      // WHATWG parsing on bytes: lines end at LF, CRLF or CR; a blank line dispatches; fields
      // "id", "event", "data" (joined with LF); comments start with ':'. No String per line.
      try (InputStream in = answer.body()) {
        byte[] buffer = new byte[1 << 16];
        byte[] line = new byte[1 << 12];
        int lineLength = 0;
        boolean afterCr = false;
        int read;
        while (!ended && (read = in.read(buffer)) > 0) {
          bytes += read;
          for (int i = 0; i < read && !ended; i++) {
            byte b = buffer[i];
            if (b == '\n' && afterCr) {
              afterCr = false;
              continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
              field(line, lineLength);
              lineLength = 0;
            } else {
              if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, line.length * 2);
              }
              line[lineLength++] = b;
            }
          }
        }
      }
    }

    private static final byte[] NONE = new byte[0];
    private long eventId;
    private byte[] eventName = NONE;
    private byte[] data = new byte[1 << 12];
    private int dataLength = -1;

    private void field(byte[] line, int length) {
      if (length == 0) {
        if (dataLength >= 0) {
          dispatch();
        }
        eventName = NONE;
        dataLength = -1;
        return;
      }
      if (line[0] == ':') {
        return;
      }
      int colon = 0;
      while (colon < length && line[colon] != ':') {
        colon++;
      }
      int value = colon + 1 < length && line[colon + 1] == ' ' ? colon + 2 : colon + 1;
      if (colon == 2 && line[0] == 'i' && line[1] == 'd') {
        eventId = 0;
        for (int i = value; i < length; i++) {
          eventId = eventId * 10 + (line[i] - '0');
        }
      } else if (colon == 5 && new String(line, 0, 5, StandardCharsets.US_ASCII).equals("event")) {
        eventName = java.util.Arrays.copyOfRange(line, Math.min(value, length), length);
      } else if (colon == 4 && new String(line, 0, 4, StandardCharsets.US_ASCII).equals("data")) {
        int add = Math.max(0, length - value) + (dataLength >= 0 ? 1 : 0);
        int at = Math.max(dataLength, 0);
        if (at + add > data.length) {
          data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, at + add));
        }
        if (dataLength >= 0) {
          data[at++] = '\n';
        }
        if (length > value) {
          System.arraycopy(line, value, data, at, length - value);
        }
        dataLength = at + Math.max(0, length - value);
      }
    }

    private static final byte[] ID_PREFIX = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

    private void dispatch() {
      long now = System.nanoTime();
      if (firstAt == 0) {
        firstAt = now;
      }
      lastAt = now;
      String name = new String(eventName, StandardCharsets.US_ASCII);
      switch (name) {
        case "batch" -> {
          // every {"id":N of the array; data text cannot hold {"id": unescaped
          for (int i = 0; i + ID_PREFIX.length < dataLength; i++) {
            if (data[i] == '{' && java.util.Arrays.equals(data, i, i + ID_PREFIX.length, ID_PREFIX, 0, ID_PREFIX.length)) {
              long id = 0;
              int j = i + ID_PREFIX.length;
              while (data[j] >= '0' && data[j] <= '9') {
                id = id * 10 + (data[j++] - '0');
              }
              see(id);
              lines++;
              i = j;
            }
          }
        }
        case "stdout", "stderr" -> {
          see(eventId);
          lines++;
          if (latencies != null) {
            String text = new String(data, 0, dataLength, StandardCharsets.US_ASCII);
            long written = Long.parseLong(text.substring(text.indexOf(' ') + 1));
            java.time.Instant received = java.time.Instant.now();
            latencies.add(received.getEpochSecond() * 1_000_000_000L + received.getNano() - written);
          }
        }
        case "result" -> {
          see(eventId);
          ended = true;
        }
        default -> see(eventId);
      }
    }

    void see(long eventId) {
      if (eventId != expectedNext) {
        ordered = false;
      }
      expectedNext = eventId + 1;
      lastId = eventId;
    }
  }

  static void check(String name, Follow f, long lastEventId) {
    boolean ok = f.ordered && f.ended && f.lastId == lastEventId;
    if (!ok) {
      complete = false;
      System.err.println("INCOMPLETE " + name + ": run " + f.id + " ordered=" + f.ordered
          + " ended=" + f.ended + " last id " + f.lastId + " of " + lastEventId);
    }
  }

  // ---- the server's API and its process ----

  static String start(String script, String params) throws Exception {
    HttpResponse<String> answer = null;
    // 503 while the application is still starting
    for (int attempt = 0; attempt < 120 && (answer == null || answer.statusCode() == 503); attempt++) {
      if (answer != null) {
        Thread.sleep(500);
      }
      answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/json")
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString("{\"script\": \"" + script + "\", \"params\": " + params + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    }
    if (answer.statusCode() != 201) {
      throw new IllegalStateException(answer.statusCode() + " " + answer.body());
    }
    return json(answer.body(), "id");
  }

  static void cancel(String id) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/cancel"))
            .header("Authorization", AUTH)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  static String get(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", AUTH).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static String json(String body, String member) {
    Matcher m = Pattern.compile("\"" + member + "\":\"([^\"]*)\"").matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no " + member + " in " + body);
    }
    return m.group(1);
  }

  /** Used heap of the server (KiB), sampled every 200 ms, for the table's peak. */
  /**
   * Heap in use, every 200 ms, from the server's own MicroProfile Metrics: one small HTTP request.
   * (The first version ran jcmd every 200 ms: a JVM start each time, which took most of a core
   * and a safepoint in the server, and distorted every figure of this table.)
   */
  static void sampleHeap() {
    Pattern usedHeap = Pattern.compile("(?m)^(?:base_)?memory_usedHeap_bytes(?:\\{[^}]*\\})? ([0-9.eE+]+)");
    while (true) {
      try {
        Matcher m = usedHeap.matcher(get("/metrics?scope=base"));
        long used = m.find() ? (long) (Double.parseDouble(m.group(1)) / 1024) : 0;
        peakHeap.accumulateAndGet(used, Math::max);
        Thread.sleep(200);
      } catch (Exception e) {
        return;
      }
    }
  }

  static long heapAfterGc() throws Exception {
    return heapUsedKib(true);
  }

  static long heapUsedKib(boolean gc) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    if (gc) {
      new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").start().waitFor();
    }
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Matcher used = Pattern.compile("used (\\d+)K").matcher(out);
    return used.find() ? Long.parseLong(used.group(1)) : 0;
  }

  static long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  // ---- the table ----

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static String ratio(double rate, double ceiling) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * rate / ceiling);
  }

  static void row(String name, long lines, double rate, double mbs, String note, String ratio) {
    System.err.printf(Locale.ROOT, "done: %s, %,.0f lines/s %s%n", name, rate, note);
    String heap = String.format(Locale.ROOT, "%d MiB", peakHeap.getAndSet(0) / 1024);
    TABLE.add(new String[] {name, String.format(Locale.ROOT, "%,d", lines), String.format(Locale.ROOT, "%,.0f", rate),
        mbs == 0 ? "" : String.format(Locale.ROOT, "%.1f", mbs), note, heap, ratio});
  }

  static void print() throws IOException {
    System.out.println();
    System.out.println("| workload | lines | lines/s | MB/s | latency / notes | peak heap | of pipe ceiling |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String[] r : TABLE) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    System.out.printf(Locale.ROOT, "%npeak RSS of the server: %d MiB; every delivery complete: %s%n",
        peakRssKib() / 1024, complete ? "yes" : "NO");
  }
}
