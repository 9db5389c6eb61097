package space.mission.monitor.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.spool.Backoff;
import space.mission.runtime.spool.AgeSplit;
import space.mission.runtime.spool.DiskSpool;
import space.mission.runtime.spool.Gap;
import space.mission.runtime.spool.SpoolShipper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * AWS mode: log lines to CloudWatch Logs, one stream per host and instance (group and stream are
 * created when missing). Every line is first appended to a bounded disk spool, so an outage or a
 * restart loses nothing; a {@link SpoolShipper} sends it on with PutLogEvents in batches that keep
 * the service's limits (at most 10,000 events and 1,048,576 bytes counting 26 bytes per event, in
 * time order, spanning at most 24 hours). Lines CloudWatch would refuse as too old (14 days) and
 * lines the spool dropped to stay bounded become an explicit gap record in the stream.
 */
public final class CloudWatchLogsSink implements LogSink {

  static final int MAX_EVENTS = 10_000;
  static final int MAX_BYTES = 1_048_576;
  static final int EVENT_OVERHEAD = 26;
  static final Duration MAX_SPAN = Duration.ofHours(24);
  /** CloudWatch Logs refuses events older than 14 days. */
  static final Duration MAX_AGE = AgeSplit.CLOUDWATCH_MAX_AGE;
  /** Room kept in each batch for one gap record: its JSON is well under this. */
  static final int GAP_RECORD_BYTES = 512;

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsSink.class);

  private final Vertx vertx;
  private final CloudWatchLogsAsyncClient logs;
  private final String group;
  private final String stream;
  private final Path spoolDir;
  private final long spoolMaxBytes;
  private final Duration flushInterval;
  private final MeterRegistry registry;
  private final Counter dropped;
  private Context context;
  private DiskSpool spool;
  private SpoolShipper shipper;
  private boolean streamReady;

  public CloudWatchLogsSink(Vertx vertx, CloudWatchLogsAsyncClient logs, String group, String stream, Path spoolDir,
                            long spoolMaxBytes, Duration flushInterval, MeterRegistry registry) {
    this.vertx = vertx;
    this.logs = logs;
    this.group = group;
    this.stream = stream;
    this.spoolDir = spoolDir;
    this.spoolMaxBytes = spoolMaxBytes;
    this.flushInterval = flushInterval;
    this.registry = registry;
    this.dropped = Counter.builder("mission.monitor.logs.dropped")
      .description("Log events dropped unsent (spool full, or older than CloudWatch Logs accepts)").register(registry);
  }

  @Override
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> DiskSpool.open(spoolDir, spoolMaxBytes)).map(opened -> {
      spool = opened;
      shipper = new SpoolShipper(vertx, "cloudwatch-logs", spool, new Sender(), MAX_EVENTS, flushInterval,
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), registry,
        this::countDropped);
      shipper.start();
      LOG.info("Log lines go to CloudWatch Logs {} / {} (spooled under {}, {} waiting)", group, stream, spoolDir, spool.pendingRecords());
      return null;
    });
  }

  @Override
  public void write(ResourceReading reading) {
    append(reading.timestamp().toEpochMilli(), reading.toJson().encode());
  }

  @Override
  public void write(Gap gap) {
    append(System.currentTimeMillis(), gap.toJson().encode());
  }

  private void append(long timestamp, String line) {
    context.runOnContext(v -> context.executeBlocking(() -> spool.append(List.of(new DiskSpool.Record(timestamp, line))))
      .onSuccess(lost -> {
        if (lost != null) {
          countDropped(lost);
        }
        shipper.nudge();
      })
      .onFailure(failure -> LOG.warn("Could not spool a log line: {}", failure.getMessage())));
  }

  /** Counts lines the spool dropped; the spool keeps the gap, and its record leads the next delivered batch. */
  private void countDropped(DiskSpool.Dropped lost) {
    dropped.increment(lost.count());
    LOG.warn("The log spool is full: dropped {} lines from {} to {}; a gap record will mark them in {}", lost.count(),
      Instant.ofEpochMilli(lost.fromTimestamp()), Instant.ofEpochMilli(lost.toTimestamp()), stream);
  }

  @Override
  public Future<Void> stop() {
    Future<Void> settled = shipper == null ? Future.succeededFuture()
      : shipper.stop().timeout(10, java.util.concurrent.TimeUnit.SECONDS).recover(slow -> Future.succeededFuture());
    return settled.compose(done -> vertx.executeBlocking(() -> {
      if (spool != null) {
        spool.close();
      }
      return null;
    }));
  }

  /** Creates the group and the stream if they are missing; "already exists" is fine. */
  private Future<Void> ensureStream() {
    if (streamReady) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(logs.createLogGroup(request -> request.logGroupName(group)), context)
      .<Void>mapEmpty()
      .recover(failure -> alreadyExists(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
      .compose(done -> Future.fromCompletionStage(logs.createLogStream(request -> request.logGroupName(group).logStreamName(stream)), context))
      .<Void>mapEmpty()
      .recover(failure -> alreadyExists(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
      .onSuccess(done -> streamReady = true);
  }

  private static boolean alreadyExists(Throwable failure) {
    return unwrap(failure) instanceof ResourceAlreadyExistsException;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** Picks what fits one PutLogEvents call and sends it. */
  final class Sender implements SpoolShipper.Sender {

    @Override
    public int fit(List<DiskSpool.Record> candidates) {
      return fitting(candidates);
    }

    @Override
    public Future<Integer> send(List<DiskSpool.Record> batch, DiskSpool.Dropped spoolGap) {
      AgeSplit split = AgeSplit.of(batch, MAX_AGE);
      List<InputLogEvent> events = new ArrayList<>(batch.size() + 2);
      for (DiskSpool.Record record : split.fresh()) {
        events.add(InputLogEvent.builder().timestamp(record.timestamp()).message(record.payload()).build());
      }
      // records of gaps lead the batch, stamped with its first line's time: in time order, where the gap is
      long at = events.isEmpty() ? System.currentTimeMillis() : events.get(0).timestamp();
      List<InputLogEvent> gaps = new ArrayList<>(2);
      if (spoolGap != null) {
        gaps.add(gapEvent(at, new Gap("logs", spoolGap.count(), Instant.ofEpochMilli(spoolGap.fromTimestamp()),
          Instant.ofEpochMilli(spoolGap.toTimestamp()), "the log spool was full")));
      }
      if (split.tooOld() > 0) {
        dropped.increment(split.tooOld());
        Gap old = split.gap("logs", "older than CloudWatch Logs accepts (14 days)");
        LOG.warn("Gap in the log stream {}: {}", stream, old);
        gaps.add(gapEvent(at, old));
      }
      events.addAll(0, gaps);
      if (events.isEmpty()) {
        return Future.succeededFuture(batch.size());
      }
      PutLogEventsRequest request = PutLogEventsRequest.builder().logGroupName(group).logStreamName(stream).logEvents(events).build();
      return ensureStream()
        .compose(ready -> Future.fromCompletionStage(logs.putLogEvents(request), context))
        .map(response -> {
          if (response.rejectedLogEventsInfo() != null) {
            reportRejected(response.rejectedLogEventsInfo(), events);
          }
          return batch.size();
        })
        .recover(failure -> {
          if (unwrap(failure) instanceof ResourceNotFoundException) {
            // the group or stream was deleted underneath: create them again before the retry
            streamReady = false;
          }
          return Future.failedFuture(unwrap(failure));
        });
    }

    private InputLogEvent gapEvent(long timestamp, Gap gap) {
      return InputLogEvent.builder().timestamp(timestamp).message(gap.toJson().encode()).build();
    }

    private void reportRejected(RejectedLogEventsInfo rejected, List<InputLogEvent> events) {
      List<InputLogEvent> lost = new ArrayList<>();
      if (rejected.tooOldLogEventEndIndex() != null) {
        lost.addAll(events.subList(0, Math.min(events.size(), rejected.tooOldLogEventEndIndex())));
      }
      if (rejected.expiredLogEventEndIndex() != null) {
        lost.addAll(events.subList(0, Math.min(events.size(), rejected.expiredLogEventEndIndex())));
      }
      if (rejected.tooNewLogEventStartIndex() != null) {
        lost.addAll(events.subList(Math.min(events.size(), rejected.tooNewLogEventStartIndex()), events.size()));
      }
      if (!lost.isEmpty()) {
        long from = lost.stream().mapToLong(InputLogEvent::timestamp).min().orElse(0);
        long to = lost.stream().mapToLong(InputLogEvent::timestamp).max().orElse(0);
        Gap refused = new Gap("logs", lost.size(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), "refused by CloudWatch Logs (too old or too new)");
        dropped.increment(lost.size());
        LOG.warn("Gap in the log stream {}: {}", stream, refused);
        // recorded in the stream with the next lines (this batch is settled)
        write(refused);
      }
    }
  }

  /**
   * How many of {@code candidates}, from the first, make one valid PutLogEvents batch: at most
   * 10,000 events and 1,048,576 bytes (message bytes + 26 each), time order, a span under 24 hours.
   */
  static int fitting(List<DiskSpool.Record> candidates) {
    // room for up to two gap records the sender may put in front
    long bytes = 2 * GAP_RECORD_BYTES;
    long first = candidates.get(0).timestamp();
    long previous = first;
    int count = 0;
    for (DiskSpool.Record record : candidates) {
      long size = record.payload().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
      boolean full = count == MAX_EVENTS - 2 || bytes + size > MAX_BYTES;
      boolean outOfOrder = record.timestamp() < previous;
      boolean tooWide = record.timestamp() - first >= MAX_SPAN.toMillis();
      if (count > 0 && (full || outOfOrder || tooWide)) {
        break;
      }
      bytes += size;
      previous = record.timestamp();
      count++;
    }
    return count;
  }
}
