package space.mission.status.stream;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which events a client asked for: the kinds, and optionally missions (status updates, alerts
 * labelled with a mission) and hosts (readings, alerts labelled with a host). An empty set means
 * no restriction; an event without the label a set restricts passes (a backup event has no host).
 */
public record StreamFilter(Set<FeedKind> kinds, Set<String> missions, Set<String> hosts) {

  public static final StreamFilter EVERYTHING = new StreamFilter(EnumSet.allOf(FeedKind.class), Set.of(), Set.of());

  public StreamFilter {
    kinds = kinds.isEmpty() ? EnumSet.allOf(FeedKind.class) : EnumSet.copyOf(kinds);
    missions = Set.copyOf(missions);
    hosts = Set.copyOf(hosts);
  }

  public boolean accepts(FeedEvent event) {
    return kinds.contains(event.kind())
      && (missions.isEmpty() || event.mission() == null || missions.contains(event.mission()))
      && (hosts.isEmpty() || event.host() == null || hosts.contains(event.host()));
  }

  /** Whether every kind asked for can be caught up from the database after the ring has lost it. */
  public boolean onlyStatus() {
    return kinds.equals(EnumSet.of(FeedKind.STATUS));
  }
}
