package space.mission.monitor.logs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.logs.LocalLogs;
import space.mission.runtime.spool.Gap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Local mode: JSON lines in {@code <data.dir>/logs/resources.jsonl}, rotated by size (the current
 * file becomes {@code resources.1.jsonl}, older ones move up, the oldest beyond the kept count is
 * deleted). Writes run on worker threads, one at a time, in the order they were asked for.
 */
public final class JsonLinesFileSink implements LogSink {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFileSink.class);

  private final Vertx vertx;
  private final Path dataDir;
  private final long maxFileBytes;
  private final int keepFiles;
  private Context context;
  private FileChannel channel;
  private long size;

  public JsonLinesFileSink(Vertx vertx, Path dataDir, long maxFileBytes, int keepFiles) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.maxFileBytes = maxFileBytes;
    this.keepFiles = keepFiles;
  }

  @Override
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      Files.createDirectories(LocalLogs.directory(dataDir));
      open();
      return null;
    });
  }

  @Override
  public void write(ResourceReading reading) {
    append(reading.toJson());
  }

  @Override
  public void write(Gap gap) {
    append(gap.toJson());
  }

  private void append(JsonObject line) {
    byte[] bytes = (line.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    // every write goes through this sink's context: ordered, and never two at once
    context.runOnContext(v -> context.executeBlocking(() -> {
      if (size > 0 && size + bytes.length > maxFileBytes) {
        rotate();
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      size += bytes.length;
      return null;
    }).onFailure(failure -> LOG.warn("Could not write to {}: {}", file(), failure.getMessage())));
  }

  private void open() throws IOException {
    channel = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
  }

  private void rotate() throws IOException {
    channel.close();
    Files.deleteIfExists(LocalLogs.rotated(dataDir, LocalLogs.RESOURCES, keepFiles));
    for (int n = keepFiles - 1; n >= 1; n--) {
      Path older = LocalLogs.rotated(dataDir, LocalLogs.RESOURCES, n);
      if (Files.exists(older)) {
        Files.move(older, LocalLogs.rotated(dataDir, LocalLogs.RESOURCES, n + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file(), LocalLogs.rotated(dataDir, LocalLogs.RESOURCES, 1), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  private Path file() {
    return LocalLogs.current(dataDir, LocalLogs.RESOURCES);
  }

  /** Closes the file after every write asked for before (queued behind them on the sink's context). */
  @Override
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> context.<Void>executeBlocking(() -> {
      if (channel != null) {
        channel.close();
      }
      return null;
    }).onComplete(closed));
    return closed.future();
  }
}
