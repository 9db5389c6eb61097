package space.mission.runtime.spool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A spooled batch split at the age its receiver still accepts: the records young enough to send,
 * and how many (and from when to when) are too old, which the shipper drops and reports as a
 * {@link Gap} instead of letting the receiver refuse the whole call. Both CloudWatch shippers (metrics
 * and logs) split this way, so they agree on what "too old" means.
 */
public record AgeSplit(List<DiskSpool.Record> fresh, long tooOld, long from, long to) {

  /** CloudWatch and CloudWatch Logs refuse data older than 14 days; a little less leaves room for the clock and the trip. */
  public static final Duration CLOUDWATCH_MAX_AGE = Duration.ofDays(14).minusHours(1);

  /** Splits {@code batch} (in spool order, kept) at now less {@code maxAge}. */
  public static AgeSplit of(List<DiskSpool.Record> batch, Duration maxAge) {
    long oldest = System.currentTimeMillis() - maxAge.toMillis();
    List<DiskSpool.Record> fresh = new ArrayList<>(batch.size());
    long tooOld = 0;
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (DiskSpool.Record record : batch) {
      if (record.timestamp() < oldest) {
        tooOld++;
        from = Math.min(from, record.timestamp());
        to = Math.max(to, record.timestamp());
      } else {
        fresh.add(record);
      }
    }
    return new AgeSplit(fresh, tooOld, from, to);
  }

  /** The records dropped as too old, as the gap to report ({@code kind} and {@code why} as {@link Gap} has them); only when {@code tooOld > 0}. */
  public Gap gap(String kind, String why) {
    return new Gap(kind, tooOld, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), why);
  }
}
