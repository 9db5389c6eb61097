package space.mission.control;

import io.vertx.core.json.JsonObject;
import space.mission.testkit.Fauxqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.control.ClusterFailoverIT.bodies;

/**
 * Every alert notification an SQS subscription of the alert topic received, in order, and the
 * promises the cluster tests check on them: each state change notified, never under two dedup ids,
 * at most twice (a standard topic may deliver twice), and no FIRING after its RESOLVED.
 */
final class SnsLedger {

  private final Fauxqs fauxqs;
  private final String queue;
  private final List<JsonObject> received = new ArrayList<>();

  SnsLedger(Fauxqs fauxqs, String queue) {
    this.fauxqs = fauxqs;
    this.queue = queue;
  }

  /** A state change as {@code "<rule> <where> <state>"}. */
  static String change(JsonObject body) {
    return body.getString("rule") + " " + body.getString("where") + " " + body.getString("state");
  }

  /** Receives until every change in {@code changes} has arrived; fails with what did arrive after {@code timeout}. */
  void await(Set<String> changes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!received.stream().map(SnsLedger::change).toList().containsAll(changes)) {
      assertThat(System.nanoTime()).as("notified in time: %s; got %s", changes, received.stream().map(SnsLedger::change).toList())
        .isLessThan(deadline);
      received.addAll(bodies(fauxqs.topics().receive(queue, 10, Duration.ofMillis(300))));
    }
  }

  /** Receives whatever is still on its way (a resend, a late publish by a deposed instance) for {@code wait}. */
  void drain(Duration wait) {
    received.addAll(bodies(fauxqs.topics().receive(queue, 100, wait)));
  }

  /** Checks the promises over everything received; answers the counts for the figures. */
  Map<String, String> verify() {
    Map<String, Set<String>> idsPerChange = new LinkedHashMap<>();
    Map<String, Integer> countPerChange = new LinkedHashMap<>();
    Map<String, Integer> lastResolved = new HashMap<>();
    for (int i = 0; i < received.size(); i++) {
      JsonObject body = received.get(i);
      String change = change(body);
      idsPerChange.computeIfAbsent(change, key -> new TreeSet<>()).add(body.getString("dedupId"));
      countPerChange.merge(change, 1, Integer::sum);
      if (body.getString("state").equals("RESOLVED")) {
        lastResolved.put(body.getString("where"), i);
      } else {
        assertThat(lastResolved.get(body.getString("where"))).as("no FIRING after its RESOLVED: %s", change).isNull();
      }
    }
    assertThat(idsPerChange).as("one dedup id per state change").allSatisfy((change, ids) -> assertThat(ids).as(change).hasSize(1));
    assertThat(countPerChange).as("at most twice (a standard topic), normally once").allSatisfy((change, n) -> assertThat(n).as(change).isBetween(1, 2));
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("notifications", String.valueOf(received.size()));
    figures.put("state changes", String.valueOf(countPerChange.size()));
    figures.put("received twice", String.valueOf(countPerChange.values().stream().filter(n -> n > 1).count()));
    return figures;
  }
}
