package space.mission.status;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.Severity;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.SseClient;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live feed ({@code GET /api/v1/stream}) of one status instance whose ring holds only 32
 * events and whose clients may fall 200 events behind, so gaps and slow clients are quick to make.
 * Events are held for 50 ms after any write (the smallest write share: the window is always the
 * cap), so batching is easy to see and every test also runs through it.
 */
class StreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db).with(Map.of(
    "MC_STATUS_STREAM_RING", "32",
    "MC_STATUS_STREAM_CLIENT_QUEUE", "200",
    "MC_STATUS_STREAM_HEARTBEAT", "300ms",
    "MC_STATUS_STREAM_REPLAY_LIMIT", "100",
    "MC_STATUS_STREAM_BATCH_WINDOW", "50ms",
    "MC_STATUS_STREAM_WRITE_SHARE", "0.0001"));

  @Test
  @DisplayName("Every kind arrives in the order it crossed the bus, each with an id, its event name and the bus payload")
  void orderAndKinds() {
    status.api().createMission(new JsonObject().put("name", "Ordered").put("id", "ordered"));
    try (SseClient stream = open("/api/v1/stream")) {
      long update = status.api().record("ordered", "comms", "WARNING", "first").getLong("id");
      publishReading("ordered-host", 12.5);
      status.vertx().eventBus().publish(Addresses.ALERT_EVENT, alert("ordered-host").toJson());
      status.vertx().eventBus().publish(Addresses.BACKUP_EVENT, BackupEvent.started("b-1", Instant.now()).toJson());
      status.api().record("ordered", "comms", "NOMINAL", "second");

      List<SseClient.Event> events = stream.take(5, WAIT);
      assertThat(events).extracting(SseClient.Event::event).containsExactly("status", "reading", "alert", "backup", "status");
      assertThat(events.get(0).json().getLong("id")).isEqualTo(update);
      assertThat(events.get(0).json().getString("level")).isEqualTo("WARNING");
      assertThat(events.get(1).json().getString("host")).isEqualTo("ordered-host");
      assertThat(events.get(2).json().getString("state")).isEqualTo("FIRING");
      assertThat(events.get(3).json().getString("backupId")).isEqualTo("b-1");
      assertThat(events.get(4).json().getString("message")).isEqualTo("second");
      assertThat(events).extracting(SseClient.Event::id).doesNotContainNull().doesNotHaveDuplicates();
      assertThat(events.stream().map(event -> Long.parseLong(event.id().split("-")[1])).toList()).isSorted();
    }
  }

  @Test
  @DisplayName("Filters: kinds, missions and hosts each narrow the stream; nothing else arrives")
  void filters() {
    status.api().createMission(new JsonObject().put("name", "Wanted").put("id", "wanted"));
    status.api().createMission(new JsonObject().put("name", "Unwanted").put("id", "unwanted"));
    try (SseClient statusOfOne = open("/api/v1/stream?kinds=status&missions=wanted");
         SseClient readingsOfOne = open("/api/v1/stream?kinds=reading,alert&hosts=host-b")) {
      status.api().record("unwanted", "comms", "WARNING", "not for the client");
      status.api().record("wanted", "comms", "WARNING", "for the client");
      publishReading("host-a", 1);
      publishReading("host-b", 2);
      status.vertx().eventBus().publish(Addresses.ALERT_EVENT, alert("host-a").toJson());
      status.vertx().eventBus().publish(Addresses.ALERT_EVENT, alert("host-b").toJson());

      assertThat(statusOfOne.drain(Duration.ofMillis(1500))).extracting(event -> event.json().getString("message"))
        .containsExactly("for the client");
      List<SseClient.Event> hostB = readingsOfOne.drain(Duration.ofMillis(300));
      assertThat(hostB).extracting(SseClient.Event::event).containsExactly("reading", "alert");
      assertThat(hostB.get(0).json().getString("host")).isEqualTo("host-b");
      assertThat(hostB.get(1).json().getJsonObject("labels").getString("host")).isEqualTo("host-b");
    }
  }

  @Test
  @DisplayName("Reconnecting with Last-Event-ID replays exactly what was missed from the ring, then goes on live")
  void resumeFromRing() {
    String last;
    try (SseClient stream = open("/api/v1/stream?kinds=reading&hosts=resume-host")) {
      publishReading("resume-host", 1);
      last = stream.next(WAIT).id();
    }
    publishReading("resume-host", 2);
    publishReading("resume-host", 3);
    awaitRelayed();
    try (SseClient resumed = open("/api/v1/stream?kinds=reading&hosts=resume-host", last)) {
      publishReading("resume-host", 4);
      assertThat(resumed.take(3, WAIT)).extracting(event -> event.json().getJsonObject("cpu").getDouble("usagePercent"))
        .containsExactly(2.0, 3.0, 4.0);
      assertThat(resumed.drain(Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  @DisplayName("A gap older than the ring: a stream of every kind gets an explicit reset, whose id it can resume from")
  void resetAfterLongGap() {
    String last;
    try (SseClient stream = open("/api/v1/stream?hosts=gap-host")) {
      publishReading("gap-host", 1);
      last = stream.next(WAIT).id();
    }
    IntStream.range(0, 40).forEach(i -> publishReading("gap-host", 10 + i));
    awaitRelayed();
    String resetId;
    try (SseClient resumed = open("/api/v1/stream?hosts=gap-host", last)) {
      SseClient.Event reset = resumed.next(WAIT);
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(reset.json().getString("reason")).contains("no longer held");
      resetId = reset.id();
      publishReading("gap-host", 99);
      assertThat(resumed.next(WAIT).json().getJsonObject("cpu").getDouble("usagePercent")).isEqualTo(99.0);
    }
    publishReading("gap-host", 100);
    awaitRelayed();
    try (SseClient fromReset = open("/api/v1/stream?hosts=gap-host", resetId)) {
      assertThat(fromReset.take(2, WAIT)).extracting(event -> event.json().getJsonObject("cpu").getDouble("usagePercent"))
        .containsExactly(99.0, 100.0);
    }
  }

  @Test
  @DisplayName("A stream of status updates is caught up from the database when the ring no longer holds the gap")
  void statusCatchUpFromDatabase() {
    status.api().createMission(new JsonObject().put("name", "Caught up").put("id", "caught-up"));
    String last;
    try (SseClient stream = open("/api/v1/stream?kinds=status&missions=caught-up")) {
      status.api().record("caught-up", "comms", "NOMINAL", "seen");
      last = stream.next(WAIT).id();
    }
    for (int i = 0; i < 40; i++) {
      status.api().record("caught-up", "comms", i % 2 == 0 ? "WARNING" : "NOMINAL", "missed " + i);
    }
    IntStream.range(0, 40).forEach(i -> publishReading("noise-host", i));
    try (SseClient resumed = open("/api/v1/stream?kinds=status&missions=caught-up", last)) {
      status.api().record("caught-up", "comms", "CRITICAL", "live");
      List<SseClient.Event> events = resumed.take(41, WAIT);
      assertThat(events).extracting(SseClient.Event::event).containsOnly("status");
      assertThat(events).extracting(event -> event.json().getString("message"))
        .containsExactlyElementsOf(concat(IntStream.range(0, 40).mapToObj(i -> "missed " + i).toList(), "live"));
      assertThat(resumed.drain(Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  @DisplayName("More missed status updates than the replay limit: reset instead of a flood")
  void catchUpBeyondLimitResets() {
    status.api().createMission(new JsonObject().put("name", "Flooded").put("id", "flooded"));
    String last;
    try (SseClient stream = open("/api/v1/stream?kinds=status&missions=flooded")) {
      status.api().record("flooded", "comms", "NOMINAL", "seen");
      last = stream.next(WAIT).id();
    }
    for (int i = 0; i < 101; i++) {
      status.api().record("flooded", "comms", "NOMINAL", "missed " + i);
    }
    try (SseClient resumed = open("/api/v1/stream?kinds=status&missions=flooded", last)) {
      SseClient.Event reset = resumed.next(WAIT);
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(reset.json().getString("reason")).contains("more than 100");
    }
  }

  @Test
  @DisplayName("A Last-Event-ID this feed never sent gets a reset, not an error, so browsers keep reconnecting")
  void unknownLastEventId() {
    double resetsBefore = counter("mission_stream_resets_total");
    try (SseClient stream = open("/api/v1/stream", "not-an-id")) {
      SseClient.Event reset = stream.next(WAIT);
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(reset.json().getString("reason")).contains("not-an-id");
    }
    assertThat(counter("mission_stream_resets_total")).isEqualTo(resetsBefore + 1);
  }

  /** A counter's value from /metrics (0 before it is first counted). */
  private static double counter(String name) {
    Matcher value = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.Ee+-]+)$")
      .matcher(status.api().get("/metrics").bodyAsString());
    return value.find() ? Double.parseDouble(value.group(2)) : 0;
  }

  @Test
  @DisplayName("Idle streams get heartbeat comments")
  void heartbeat() {
    try (SseClient stream = open("/api/v1/stream?kinds=backup")) {
      assertThat(stream.next(event -> event.comment() != null, Duration.ofSeconds(3)).comment()).isEqualTo("heartbeat");
    }
  }

  @Test
  @DisplayName("Bad parameters are a 400 problem naming what was wrong")
  void badParameters() {
    assertThat(StatusApi.problem(status.api().get("/api/v1/stream?kinds=status,telemetry"), 400).getString("detail"))
      .contains("telemetry").contains("status, reading, alert, backup");
    StatusApi.problem(status.api().get("/api/v1/stream?missions=Not%20A%20Slug"), 400);
  }

  @Test
  @DisplayName("A client that stops reading is sent a reset and cut off; a client that keeps up gets every event")
  void slowClientIsCutOff() throws Exception {
    int round = 500;
    try (SseClient fast = open("/api/v1/stream?kinds=reading&hosts=flood-host");
         Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", status.verticle().port()));
      OutputStream out = slow.getOutputStream();
      out.write(("GET /api/v1/stream?kinds=reading&hosts=flood-host HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // time must pass: the slow client's stream is open on the server before the flood; nothing the test can read shows it
      Thread.sleep(300);
      // big readings, in rounds until the slow client is cut off: how much its socket absorbs first
      // depends on the kernel (autotuned send buffers hold megabytes); bounded at 20 rounds
      List<SseClient.Event> received = new ArrayList<>();
      int published = 0;
      for (int rounds = 0; rounds < 20 && counter("mission_stream_cutoffs_total") < 1.0; rounds++) {
        for (int i = 0; i < round; i++) {
          status.vertx().eventBus().publish(Addresses.MONITOR_READING, bigReading("flood-host", published++).toJson());
        }
        received.addAll(fast.take(round, Duration.ofSeconds(60)));
      }
      assertThat(received).extracting(event -> event.json().getJsonObject("cpu").getDouble("usagePercent"))
        .containsExactlyElementsOf(IntStream.range(0, published).mapToObj(i -> (double) i).toList());

      String seen = readToEnd(slow, Duration.ofSeconds(30));
      assertThat(seen).contains("event: reset").contains("fell more than 200 events behind");
      assertThat(seen.indexOf("event: reset")).isGreaterThan(seen.lastIndexOf("event: reading"));
    }
    assertThat(counter("mission_stream_cutoffs_total")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("Batching: an event after a quiet spell is written at once; events close behind it go out together in one write")
  void batching() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", status.verticle().port()));
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /api/v1/stream?kinds=reading&hosts=batch-host HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      ChunkReader chunks = new ChunkReader(socket.getInputStream());
      // time must pass: quiet, nothing for this loop's clients within the window, so the next event is written at once
      Thread.sleep(300);

      publishReading("batch-host", 1);
      assertThat(chunks.nextEvents()).extracting(StreamTest::cpuOf).containsExactly(1.0);
      publishReading("batch-host", 2);
      // time must pass, less than the batch window: 3 comes close behind 2, not with it
      Thread.sleep(10);
      publishReading("batch-host", 3);
      // one chunk is one write: with every event written alone, 2 and 3 would come in two
      assertThat(chunks.nextEvents()).extracting(StreamTest::cpuOf).containsExactly(2.0, 3.0);
    }
  }

  @Test
  @DisplayName("Resuming while events flow: every event after Last-Event-ID exactly once, in order")
  void resumeWhileEventsFlow() {
    int events = 150;
    int[] published = {0};
    // one reading every 10 ms: some always wait in a batch when the second client joins
    long timer = status.vertx().setPeriodic(10, id -> {
      publishReading("flow-host", published[0]++);
      if (published[0] == events) {
        status.vertx().cancelTimer(id);
      }
    });
    try {
      String last;
      try (SseClient first = open("/api/v1/stream?kinds=reading&hosts=flow-host")) {
        List<SseClient.Event> seen = first.take(20, WAIT);
        last = seen.get(seen.size() - 1).id();
        assertThat(seen).extracting(event -> event.json().getJsonObject("cpu").getDouble("usagePercent"))
          .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> (double) i).toList());
      }
      try (SseClient resumed = open("/api/v1/stream?kinds=reading&hosts=flow-host", last)) {
        // a reset (the gap outgrew the ring) or a repeated or missing event would each show here
        assertThat(resumed.take(events - 20, WAIT))
          .extracting(event -> event.event() + " " + event.json().getJsonObject("cpu", new JsonObject()).getDouble("usagePercent"))
          .containsExactlyElementsOf(IntStream.range(20, events).mapToObj(i -> "reading " + (double) i).toList());
        assertThat(resumed.drain(Duration.ofMillis(300))).isEmpty();
      }
    } finally {
      status.vertx().cancelTimer(timer);
    }
  }

  private static double cpuOf(String frame) {
    Matcher cpu = Pattern.compile("\"usagePercent\":([0-9.]+)").matcher(frame);
    assertThat(cpu.find()).as("a reading frame: %s", frame).isTrue();
    return Double.parseDouble(cpu.group(1));
  }

  /** Reads a chunked HTTP response by hand: one chunk per socket write, so batching can be seen. */
  private static final class ChunkReader {
    private final InputStream in;

    ChunkReader(InputStream in) throws Exception {
      this.in = in;
      String status = line();
      assertThat(status).startsWith("HTTP/1.1 200");
      while (!line().isEmpty()) {
        // headers
      }
    }

    /** The frames of the next chunk that holds events (heartbeat-only chunks are skipped). */
    List<String> nextEvents() throws Exception {
      while (true) {
        int size = Integer.parseInt(line(), 16);
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        line(); // the CRLF after the chunk
        List<String> frames = new ArrayList<>();
        for (String frame : chunk.split("\n\n")) {
          if (frame.contains("\ndata: ")) {
            frames.add(frame);
          }
        }
        if (!frames.isEmpty()) {
          return frames;
        }
      }
    }

    private String line() throws Exception {
      StringBuilder line = new StringBuilder();
      for (int b; (b = in.read()) != '\n'; ) {
        if (b < 0) {
          throw new IllegalStateException("the stream ended");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }
  }

  private static SseClient open(String path) {
    return open(path, null);
  }

  private static SseClient open(String path, String lastEventId) {
    return SseClient.open(status.vertx(), status.verticle().port(), path, lastEventId);
  }

  /** Waits until everything published so far has been relayed (the bus keeps one sender's order): a marker comes through. */
  private static void awaitRelayed() {
    try (SseClient marker = open("/api/v1/stream?kinds=reading&hosts=marker-host")) {
      publishReading("marker-host", 0);
      marker.next(WAIT);
    }
  }

  private static void publishReading(String host, double cpu) {
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, new ResourceReading(host, "i-1", Instant.now(),
      new ResourceReading.Cpu(cpu, List.of(cpu)), null, new ResourceReading.Memory(1, 2), new ResourceReading.Memory(0, 0),
      List.of(new ResourceReading.Disk("/", "ext4", 1, 4, 1, 8)), List.of(), 10, 100, 5).toJson());
  }

  private static ResourceReading bigReading(String host, double cpu) {
    List<ResourceReading.Disk> disks = IntStream.range(0, 60)
      .mapToObj(i -> new ResourceReading.Disk("/srv/volume-" + i, "ext4", i, 1000, i, 1000)).toList();
    return new ResourceReading(host, "i-1", Instant.now(), new ResourceReading.Cpu(cpu, List.of(cpu)), null,
      new ResourceReading.Memory(1, 2), new ResourceReading.Memory(0, 0), disks, List.of(), 10, 100, 5);
  }

  private static AlertEvent alert(String host) {
    return new AlertEvent(AlertEvent.State.FIRING, "cpu-high", Severity.WARNING, Map.of("host", host), 95.0,
      Instant.now(), null, "fp-" + host, "CPU on " + host);
  }

  /** What the server sends until it closes the connection; fails after {@code limit} (heartbeats would keep a read going). */
  private static String readToEnd(Socket socket, Duration limit) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    long until = System.nanoTime() + limit.toNanos();
    socket.setSoTimeout(1_000);
    byte[] chunk = new byte[64 * 1024];
    while (true) {
      int read;
      try {
        read = socket.getInputStream().read(chunk);
      } catch (java.net.SocketTimeoutException quiet) {
        read = 0;
      }
      if (read < 0) {
        return all.toString(StandardCharsets.UTF_8);
      }
      all.write(chunk, 0, read);
      if (System.nanoTime() > until) {
        String text = all.toString(StandardCharsets.UTF_8);
        throw new AssertionError("the server did not close the connection within " + limit + "; it last sent: "
          + text.substring(Math.max(0, text.length() - 300)));
      }
    }
  }

  private static List<String> concat(List<String> first, String last) {
    List<String> all = new ArrayList<>(first);
    all.add(last);
    return all;
  }
}
