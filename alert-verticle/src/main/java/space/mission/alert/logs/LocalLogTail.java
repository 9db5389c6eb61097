package space.mission.alert.logs;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.alert.rules.LogRule;
import space.mission.alert.store.AlertStore;
import space.mission.runtime.logs.LocalLogs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Local mode: follows one JSON-lines stream under {@code data/logs} ({@code <stream>.jsonl}, rotated
 * to {@code <stream>.1.jsonl} and up) and hands each line matching a rule's pattern to the engine.
 * Where it got to (the file's identity and the offset) is kept in the database, so after a restart
 * it goes on from there, through a rotation that happened meanwhile too. The first start begins at
 * the end of the file: history is not replayed as fresh errors.
 */
public final class LocalLogTail extends PollingLogTail {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLogTail.class);
  private static final int MAX_LINES_PER_POLL = 100_000;

  private record Position(String fileKey, long offset) {
    JsonObject toJson() {
      return new JsonObject().put("file", fileKey).put("offset", offset);
    }
  }

  private record Line(String text, long timestamp) {
  }

  private record Read(List<Line> lines, Position position) {
  }

  private final AlertStore store;
  private final Path dataDir;
  private final String stream;
  private final List<LogRule> rules;
  private final BiConsumer<LogRule, Long> onMatch;
  private final Clock clock;
  private Position position;
  private Position saved;

  public LocalLogTail(Vertx vertx, AlertStore store, Path dataDir, String stream, List<LogRule> rules, BiConsumer<LogRule, Long> onMatch,
                      Duration pollInterval, Clock clock, MeterRegistry registry) {
    super(vertx, source(stream), pollInterval, registry);
    this.store = store;
    this.dataDir = dataDir;
    this.stream = stream;
    this.rules = rules;
    this.onMatch = onMatch;
    this.clock = clock;
  }

  private static String source(String stream) {
    return "local:" + stream;
  }

  @Override
  protected Future<Void> restore() {
    return store.checkpoint(source(stream)).compose(found -> {
      if (found.isPresent()) {
        position = new Position(found.get().getString("file"), found.get().getLong("offset"));
        saved = position;
        return Future.<Void>succeededFuture();
      }
      return vertx.executeBlocking(() -> {
        Path current = LocalLogs.current(dataDir, stream);
        position = Files.exists(current) ? new Position(fileKey(current), Files.size(current)) : new Position(null, 0);
        return null;
      });
    });
  }

  @Override
  protected long firstPollDelayMillis(Duration pollInterval) {
    return pollInterval.toMillis();
  }

  @Override
  protected String describe() {
    return "Tailing " + LocalLogs.current(dataDir, stream);
  }

  @Override
  protected Future<Void> pollOnce() {
    Position from = position;
    return vertx.executeBlocking(() -> read(from))
      .onSuccess(read -> {
        for (Line line : read.lines()) {
          for (LogRule rule : rules) {
            if (rule.pattern().matches(line.text())) {
              matched();
              onMatch.accept(rule, line.timestamp());
            }
          }
        }
        position = read.position();
      })
      .mapEmpty();
  }

  @Override
  protected Future<Void> save() {
    if (position == null || position.equals(saved)) {
      return Future.succeededFuture();
    }
    Position saving = position;
    return store.saveCheckpoint(source(stream), saving.toJson(), clock.instant()).onSuccess(done -> saved = saving);
  }

  /** New complete lines since {@code from}: the rest of a file rotated meanwhile first, then the current file. */
  private Read read(Position from) throws IOException {
    Path current = LocalLogs.current(dataDir, stream);
    List<Line> lines = new ArrayList<>();
    if (!Files.exists(current)) {
      return new Read(lines, from);
    }
    String currentKey = fileKey(current);
    long offset = from.offset();
    if (from.fileKey() != null && !from.fileKey().equals(currentKey)) {
      Path rotated = findRotated(from.fileKey());
      if (rotated != null) {
        readLines(rotated, from.offset(), lines);
      } else {
        LOG.warn("{} was rotated away before its last lines were read; going on with the current file", stream);
      }
      offset = 0;
    }
    if (Files.size(current) < offset) {
      // truncated in place: start over
      offset = 0;
    }
    long end = readLines(current, offset, lines);
    return new Read(lines, new Position(currentKey, end));
  }

  private Path findRotated(String key) throws IOException {
    for (int n = 1; n <= 20; n++) {
      Path candidate = LocalLogs.rotated(dataDir, stream, n);
      if (Files.exists(candidate) && key.equals(fileKey(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** Reads complete lines from {@code offset}; answers the offset after the last complete line. */
  private long readLines(Path file, long offset, List<Line> into) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(offset);
      InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(512);
      long position = offset;
      long complete = offset;
      for (int next; (next = in.read()) != -1 && into.size() < MAX_LINES_PER_POLL; ) {
        position++;
        if (next == '\n') {
          String text = line.toString(StandardCharsets.UTF_8);
          into.add(new Line(text, timestamp(text)));
          line.reset();
          complete = position;
        } else {
          line.write(next);
        }
      }
      return complete;
    }
  }

  /** The line's own time when it is JSON with a timestamp (epoch millis or ISO-8601), else now. */
  private long timestamp(String text) {
    if (text.startsWith("{")) {
      try {
        Object value = new JsonObject(text).getValue("timestamp");
        if (value instanceof Number number) {
          return number.longValue();
        }
        if (value instanceof String iso) {
          return Instant.parse(iso).toEpochMilli();
        }
      } catch (RuntimeException notJsonOrNoTime) {
        // fall through
      }
    }
    return clock.millis();
  }

  private static String fileKey(Path file) throws IOException {
    Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    return key == null ? file.toString() : key.toString();
  }
}
