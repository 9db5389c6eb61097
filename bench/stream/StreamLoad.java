import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live feed under load (run from source against the launcher jar, see run.sh): opens
 * BENCH_CLIENTS streams of one mission's status updates, then records BENCH_RATE updates a second
 * through the API for BENCH_WARMUP + BENCH_SECONDS seconds. Each update's message carries the
 * System.nanoTime() at which its POST was sent; every client notes when the event reaches it.
 * Prints Markdown rows: delivery latency (POST sent -> event parsed by the client, and the server's
 * commit time -> event parsed), events delivered vs expected, and the server's CPU and RSS
 * (from /proc of BENCH_SERVER_PID) during the measured part.
 */
public class StreamLoad {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(env("BENCH_PORT", "18081"));
    String token = env("BENCH_TOKEN", null);
    int clients = Integer.parseInt(env("BENCH_CLIENTS", "1000"));
    int rate = Integer.parseInt(env("BENCH_RATE", "100"));
    int warmup = Integer.parseInt(env("BENCH_WARMUP", "5"));
    int seconds = Integer.parseInt(env("BENCH_SECONDS", "30"));
    long serverPid = Long.parseLong(env("BENCH_SERVER_PID", "0"));

    // the streams on one event loop, the publisher on another: reading 100,000 events a second must not delay the POSTs
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx publisher = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient streams = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(clients + 10));
    HttpClient api = publisher.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));

    Histogram endToEnd = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    Histogram afterCommit = new ConcurrentHistogram(TimeUnit.SECONDS.toMillis(60), 3);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicLong delivered = new AtomicLong();
    AtomicLong measuredSent = new AtomicLong();
    AtomicLong ended = new AtomicLong();

    CountDownLatch open = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/api/v1/stream?kinds=status&missions=bench-stream").putHeader("Accept", "text/event-stream");
      streams.request(options).compose(request -> request.send()).onSuccess(response -> {
        if (response.statusCode() != 200) {
          System.err.println("a stream answered " + response.statusCode());
          System.exit(2);
        }
        response.handler(RecordParser.newDelimited("\n\n", frame -> onFrame(frame, measuring, endToEnd, afterCommit, delivered)));
        response.endHandler(v -> ended.incrementAndGet());
        open.countDown();
      }).onFailure(failure -> {
        System.err.println("a stream could not open: " + failure.getMessage());
        System.exit(2);
      });
    }
    if (!open.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + (clients - open.getCount()) + " of " + clients + " streams opened");
    }

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
      String body = new JsonObject().put("subsystem", "comms").put("level", n % 2 == 0 ? "NOMINAL" : "WATCH")
        .put("message", "t=" + System.nanoTime() + (measuring.get() ? " m" : "")).encode();
      api.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/api/v1/missions/bench-stream/updates").putHeader("Authorization", "Bearer " + token)
          .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body)).onSuccess(response -> {
          if (response.statusCode() != 201) {
            System.err.println("recording an update answered " + response.statusCode());
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
    System.out.printf("| streams that ended early | %d |%n", ended.get());
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
    vertx.close().await();
    publisher.close().await();
  }

  /**
   * Reads what it needs from the frame's bytes without decoding the whole JSON, so that the one
   * client event loop keeps up with 100,000 frames a second and the figures are the server's.
   */
  private static void onFrame(Buffer frame, AtomicBoolean measuring, Histogram endToEnd, Histogram afterCommit, AtomicLong delivered) {
    long now = System.nanoTime();
    if (!measuring.get()) {
      return;
    }
    int t = indexOf(frame, MESSAGE, 0);
    if (t < 0) {
      return; // the retry field, a heartbeat
    }
    long sent = 0;
    int i = t + MESSAGE.length;
    for (byte b; (b = frame.getByte(i)) >= '0' && b <= '9'; i++) {
      sent = sent * 10 + (b - '0');
    }
    if (frame.getByte(i) != ' ') {
      return; // sent during the warm-up
    }
    endToEnd.recordValue(Math.max(0, now - sent));
    // the commit time is parsed for one event in 64: enough samples, a fraction of the cost
    if ((delivered.incrementAndGet() & 63) == 0) {
      int at = indexOf(frame, RECORDED_AT, 0);
      if (at >= 0) {
        String recordedAt = frame.getString(at + RECORDED_AT.length, frame.length()).split("\"", 2)[0];
        afterCommit.recordValue(Math.max(0, System.currentTimeMillis() - Instant.parse(recordedAt).toEpochMilli()));
      }
    }
  }

  private static final byte[] MESSAGE = "\"message\":\"t=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RECORDED_AT = "\"recordedAt\":\"".getBytes(StandardCharsets.US_ASCII);

  private static int indexOf(Buffer buffer, byte[] needle, int from) {
    int last = buffer.length() - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buffer.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
