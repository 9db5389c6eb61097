package space.mission.backup.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Which backups go: every successful backup except the newest {@code keepLast} and those younger
 * than {@code keepFor}; and records of failed runs older than {@code keepFor} (they have no objects).
 */
public record RetentionPolicy(int keepLast, Duration keepFor) {

  public List<CatalogEntry> expired(List<CatalogEntry> entries, Instant now) {
    Instant cutoff = now.minus(keepFor);
    List<CatalogEntry> successful = entries.stream().filter(entry -> entry.state() == CatalogEntry.State.SUCCEEDED)
      .sorted(Comparator.comparing(CatalogEntry::startedAt).reversed()).toList();
    List<CatalogEntry> oldBackups = successful.stream().skip(keepLast).filter(entry -> entry.startedAt().isBefore(cutoff)).toList();
    List<CatalogEntry> oldFailures = entries.stream()
      .filter(entry -> entry.state() == CatalogEntry.State.FAILED && entry.startedAt().isBefore(cutoff)).toList();
    return java.util.stream.Stream.concat(oldBackups.stream(), oldFailures.stream()).toList();
  }
}
