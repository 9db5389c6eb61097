import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live feed under load (run from source against the launcher jar, see run.sh): opens
 * BENCH_CLIENTS streams of one mission's status updates, then records BENCH_RATE updates a second
 * through the API for BENCH_WARMUP (40: the server's JIT compiles for half a minute) + BENCH_SECONDS
 * seconds. Each update's message carries the System.nanoTime() at which its POST was sent; every
 * client notes when the event reaches it.
 * Prints Markdown rows: delivery latency (POST sent -> event parsed by the client, and the server's
 * commit time -> event parsed), events delivered vs expected, and the server's CPU and RSS
 * (from /proc of BENCH_SERVER_PID) during the measured part.
 *
 * <p>The generator shares the server's two cores, so the streams are read as cheaply as can be:
 * one thread and one selector for all of them, plain sockets, each line of the byte stream looked
 * at once (see {@link Streams}). Reading them with Vert.x's HTTP client took 60-80 % of a core.
 */
public class StreamLoad {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(env("BENCH_PORT", "18081"));
    String token = env("BENCH_TOKEN", null);
    int clients = Integer.parseInt(env("BENCH_CLIENTS", "1000"));
    int rate = Integer.parseInt(env("BENCH_RATE", "100"));
    int warmup = Integer.parseInt(env("BENCH_WARMUP", "40"));
    int seconds = Integer.parseInt(env("BENCH_SECONDS", "30"));
    long serverPid = Long.parseLong(env("BENCH_SERVER_PID", "0"));

    Vertx publisher = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient api = publisher.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));

    Histogram endToEnd = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    Histogram afterCommit = new ConcurrentHistogram(TimeUnit.SECONDS.toMillis(60), 3);
    Histogram recording = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicLong delivered = new AtomicLong();
    AtomicLong measuredSent = new AtomicLong();

    Streams streams = new Streams(new InetSocketAddress("127.0.0.1", port), "/api/v1/stream?kinds=status&missions=bench-stream",
      clients, measuring, endToEnd, afterCommit, delivered);
    Thread reader = new Thread(streams, "streams");
    reader.setDaemon(true);
    reader.start();
    streams.awaitOpen(Duration.ofSeconds(60));

    long total = (long) rate * (warmup + seconds);
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    CpuSample cpuBefore = null;
    CpuSample ownBefore = null;
    for (long n = 0; n < total; n++) {
      long due = start + n * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (n == (long) rate * warmup) {
        measuring.set(true);
        cpuBefore = CpuSample.of(serverPid);
        ownBefore = CpuSample.of(ProcessHandle.current().pid());
      }
      if (measuring.get()) {
        measuredSent.incrementAndGet();
      }
      long sentAt = System.nanoTime();
      boolean measured = measuring.get();
      String body = new JsonObject().put("subsystem", "comms").put("level", n % 2 == 0 ? "NOMINAL" : "WATCH")
        .put("message", "t=" + sentAt + (measured ? " m" : "")).encode();
      api.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/api/v1/missions/bench-stream/updates").putHeader("Authorization", "Bearer " + token)
          .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body)).onSuccess(response -> {
          if (response.statusCode() != 201) {
            System.err.println("recording an update answered " + response.statusCode());
          } else if (measured) {
            recording.recordValue(System.nanoTime() - sentAt);
          }
        });
    }
    // let the last events arrive
    long expected = measuredSent.get() * clients;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (delivered.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    CpuSample cpuAfter = CpuSample.of(serverPid);
    CpuSample ownAfter = CpuSample.of(ProcessHandle.current().pid());
    measuring.set(false);

    System.out.printf("| clients | %d |%n", clients);
    System.out.printf("| events recorded per second (through the API) | %d |%n", rate);
    System.out.printf("| measured | %d s (after %d s warm-up) |%n", seconds, warmup);
    System.out.printf("| events delivered / expected | %,d / %,d |%n", delivered.get(), expected);
    System.out.printf("| streams that ended early | %d |%n", streams.ended());
    System.out.printf("| recording an update: POST sent -> 201 received, p50 / p90 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |%n",
      ms(recording.getValueAtPercentile(50)), ms(recording.getValueAtPercentile(90)), ms(recording.getValueAtPercentile(99)),
      ms(recording.getMaxValue()));
    System.out.printf("| latency POST sent -> client, p50 / p90 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |%n",
      ms(endToEnd.getValueAtPercentile(50)), ms(endToEnd.getValueAtPercentile(90)), ms(endToEnd.getValueAtPercentile(99)),
      ms(endToEnd.getMaxValue()));
    System.out.printf("| latency commit -> client, p50 / p90 / p99 / max | %d / %d / %d / %d ms |%n",
      afterCommit.getValueAtPercentile(50), afterCommit.getValueAtPercentile(90), afterCommit.getValueAtPercentile(99),
      afterCommit.getMaxValue());
    if (serverPid > 0 && cpuBefore != null) {
      double cpuSeconds = (cpuAfter.ticks - cpuBefore.ticks) / 100.0;
      double wallSeconds = (cpuAfter.nanos - cpuBefore.nanos) / 1e9;
      System.out.printf("| server CPU (one core = 100 %%) | %.0f %% |%n", 100 * cpuSeconds / wallSeconds);
      System.out.printf("| server RSS after | %d MiB |%n", rssKib(serverPid) / 1024);
      System.out.printf("| load generator's CPU (same machine) | %.0f %% |%n",
        100 * ((ownAfter.ticks - ownBefore.ticks) / 100.0) / ((ownAfter.nanos - ownBefore.nanos) / 1e9));
    }
    streams.close();
    api.close();
    publisher.close().await();
  }

  /**
   * All the SSE streams, read by one thread: each connection's bytes are cut into lines, and only
   * the {@code data:} lines are looked at, for the message's send time and (one event in 64) the
   * update's {@code recordedAt}. Chunked transfer encoding needs no decoding here: the server
   * writes whole frames per chunk, so a chunk's size line is a line of its own.
   */
  static final class Streams implements Runnable {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "\"message\":\"t=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORDED_AT = "\"recordedAt\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    private final AtomicBoolean measuring;
    private final Histogram endToEnd;
    private final Histogram afterCommit;
    private final AtomicLong delivered;
    private final CountDownLatch open;
    private final AtomicLong ended = new AtomicLong();
    private volatile boolean closed;

    Streams(InetSocketAddress server, String uri, int clients, AtomicBoolean measuring, Histogram endToEnd, Histogram afterCommit,
            AtomicLong delivered) throws IOException {
      this.selector = Selector.open();
      this.measuring = measuring;
      this.endToEnd = endToEnd;
      this.afterCommit = afterCommit;
      this.delivered = delivered;
      this.open = new CountDownLatch(clients);
      byte[] request = ("GET " + uri + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < clients; i++) {
        SocketChannel channel = SocketChannel.open(server);
        channel.write(ByteBuffer.wrap(request));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new Connection());
      }
    }

    void awaitOpen(Duration timeout) throws InterruptedException {
      if (!open.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(open.getCount() + " streams did not answer 200 in " + timeout);
      }
    }

    long ended() {
      return ended.get();
    }

    void close() throws IOException {
      closed = true;
      selector.wakeup();
    }

    @Override
    public void run() {
      try {
        while (!closed) {
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            read(key);
          }
          selector.selectedKeys().clear();
        }
        for (SelectionKey key : selector.keys()) {
          key.channel().close();
        }
        selector.close();
      } catch (IOException e) {
        e.printStackTrace();
        System.exit(2);
      }
    }

    private void read(SelectionKey key) throws IOException {
      Connection connection = (Connection) key.attachment();
      buffer.clear();
      int read = ((SocketChannel) key.channel()).read(buffer);
      if (read < 0) {
        ended.incrementAndGet();
        key.cancel();
        key.channel().close();
        return;
      }
      long now = System.nanoTime();
      byte[] bytes = buffer.array();
      for (int i = 0; i < read; i++) {
        byte b = bytes[i];
        if (b != '\n') {
          connection.append(b);
          continue;
        }
        onLine(connection, now);
        connection.length = 0;
      }
    }

    private void onLine(Connection connection, long now) {
      byte[] line = connection.line;
      int length = connection.length;
      if (!connection.answered) {
        if (startsWith(line, length, "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII))) {
          if (!startsWith(line, length, "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII))) {
            System.err.println("a stream answered " + new String(line, 0, length, StandardCharsets.US_ASCII).trim());
            System.exit(2);
          }
          connection.answered = true;
          open.countDown();
        }
        return;
      }
      if (!measuring.get() || !startsWith(line, length, DATA)) {
        return;
      }
      int t = indexOf(line, length, MESSAGE, DATA.length);
      if (t < 0) {
        return;
      }
      long sent = 0;
      int i = t + MESSAGE.length;
      for (; i < length && line[i] >= '0' && line[i] <= '9'; i++) {
        sent = sent * 10 + (line[i] - '0');
      }
      if (i >= length || line[i] != ' ') {
        return; // sent during the warm-up
      }
      endToEnd.recordValue(Math.max(0, now - sent));
      // the commit time is parsed for one event in 64: enough samples, a fraction of the cost
      if ((delivered.incrementAndGet() & 63) == 0) {
        int at = indexOf(line, length, RECORDED_AT, DATA.length);
        if (at >= 0) {
          int from = at + RECORDED_AT.length;
          int to = from;
          while (to < length && line[to] != '"') {
            to++;
          }
          Instant recordedAt = Instant.parse(new String(line, from, to - from, StandardCharsets.US_ASCII));
          afterCommit.recordValue(Math.max(0, System.currentTimeMillis() - recordedAt.toEpochMilli()));
        }
      }
    }

    private static boolean startsWith(byte[] line, int length, byte[] prefix) {
      return length >= prefix.length && indexOf(line, prefix.length, prefix, 0) == 0;
    }

    private static int indexOf(byte[] line, int length, byte[] needle, int from) {
      outer:
      for (int i = from; i <= length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (line[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    /** One stream's line so far. */
    private static final class Connection {
      byte[] line = new byte[4096];
      int length;
      boolean answered;

      void append(byte b) {
        if (length == line.length) {
          line = Arrays.copyOf(line, length * 2);
        }
        line[length++] = b;
      }
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value == null && fallback == null) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return value == null ? fallback : value;
  }

  private static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** utime + stime of a process in clock ticks (100 a second on Linux), with when they were read. */
  private record CpuSample(long ticks, long nanos) {
    static CpuSample of(long pid) throws Exception {
      if (pid <= 0) {
        return new CpuSample(0, System.nanoTime());
      }
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      List<String> fields = new ArrayList<>(List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" ")));
      return new CpuSample(Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12)), System.nanoTime());
    }
  }
}
