package space.mission.alert.logs;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import space.mission.alert.rules.LogRule;
import space.mission.alert.store.AlertStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * AWS mode: polls CloudWatch Logs' FilterLogEvents for one log rule (its group and filter pattern;
 * CloudWatch does the matching). Events can be ingested late, so each poll looks back a while
 * before the last event seen and drops events by id that it has already handed on: the checkpoint
 * (the latest timestamp, and the ids seen within the look-back) is kept in the database, so a
 * restart neither misses nor repeats events. The first start begins now.
 */
public final class CloudWatchLogTail extends PollingLogTail {

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogTail.class);
  private static final int PAGES_PER_POLL = 20;
  private static final int MAX_SEEN = 50_000;

  private final Context context;
  private final CloudWatchLogsAsyncClient logs;
  private final AlertStore store;
  private final LogRule rule;
  private final BiConsumer<LogRule, Long> onMatch;
  private final Duration lookback;
  private final Clock clock;
  private long latest;
  private final Map<String, Long> seen = new HashMap<>();

  public CloudWatchLogTail(Vertx vertx, CloudWatchLogsAsyncClient logs, AlertStore store, LogRule rule, BiConsumer<LogRule, Long> onMatch,
                           Duration pollInterval, Duration lookback, Clock clock, MeterRegistry registry) {
    super(vertx, source(rule), pollInterval, registry);
    this.context = vertx.getOrCreateContext();
    this.logs = logs;
    this.store = store;
    this.rule = rule;
    this.onMatch = onMatch;
    this.lookback = lookback;
    this.clock = clock;
  }

  private static String source(LogRule rule) {
    return "cloudwatch:" + rule.group() + ":" + rule.name();
  }

  @Override
  protected Future<Void> restore() {
    return store.checkpoint(source(rule)).onSuccess(found -> {
      if (found.isPresent()) {
        latest = found.get().getLong("latest");
        JsonObject ids = found.get().getJsonObject("seen", new JsonObject());
        ids.forEach(entry -> seen.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
      } else {
        latest = clock.millis();
      }
    }).mapEmpty();
  }

  @Override
  protected long firstPollDelayMillis(Duration pollInterval) {
    return 0;
  }

  @Override
  protected String describe() {
    return "Polling CloudWatch Logs " + rule.group();
  }

  @Override
  protected Future<Void> pollOnce() {
    long start = Math.max(0, latest - lookback.toMillis());
    List<FilteredLogEvent> events = new ArrayList<>();
    return page(start, clock.millis(), null, events, PAGES_PER_POLL)
      .onSuccess(done -> {
        events.sort(Comparator.comparingLong(FilteredLogEvent::timestamp).thenComparing(FilteredLogEvent::eventId));
        for (FilteredLogEvent event : events) {
          if (seen.putIfAbsent(event.eventId(), event.timestamp()) == null) {
            matched();
            onMatch.accept(rule, event.timestamp());
            latest = Math.max(latest, event.timestamp());
          }
        }
        long horizon = latest - lookback.toMillis();
        seen.values().removeIf(at -> at < horizon);
        if (seen.size() > MAX_SEEN) {
          LOG.warn("{}: more than {} matching events within the look-back; the oldest ids are forgotten", source(rule), MAX_SEEN);
          seen.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(seen.size() - MAX_SEEN).map(Map.Entry::getKey)
            .toList().forEach(seen::remove);
        }
      });
  }

  private Future<Void> page(long start, long end, String token, List<FilteredLogEvent> into, int pagesLeft) {
    FilterLogEventsRequest.Builder request = FilterLogEventsRequest.builder()
      .logGroupName(rule.group()).startTime(start).endTime(end).limit(10_000);
    if (!rule.pattern().text().isEmpty()) {
      request.filterPattern(rule.pattern().text());
    }
    if (token != null) {
      request.nextToken(token);
    }
    return Future.fromCompletionStage(logs.filterLogEvents(request.build()), context).compose((FilterLogEventsResponse response) -> {
      into.addAll(response.events());
      String next = response.nextToken();
      return next == null || next.equals(token) || pagesLeft <= 1 ? Future.succeededFuture() : page(start, end, next, into, pagesLeft - 1);
    });
  }

  @Override
  protected Future<Void> save() {
    JsonObject ids = new JsonObject();
    seen.forEach(ids::put);
    return store.saveCheckpoint(source(rule), new JsonObject().put("latest", latest).put("seen", ids), clock.instant());
  }

}
