package space.mission.alert.engine;

import space.mission.common.bus.Severity;

import java.time.Instant;

/**
 * The alert about the alert system itself ({@link AlertEngine#WRITE_REFUSED_RULE}): a decision the
 * database refused for good was dropped. It is built in, not configured. It fires at once, counts
 * the refusals, and resolves after a repeat interval without another.
 */
final class WriteRefusalEvaluator implements RuleEvaluator {

  private final AlertLifecycle lifecycle;
  private Alert alert;
  private Instant lastRefusal;
  private long refused;

  WriteRefusalEvaluator(AlertLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  void onRefused(String error, Instant now) {
    refused++;
    lastRefusal = now;
    String summary = refused + " alert decision" + (refused == 1 ? " was" : "s were")
      + " dropped because the database refused to store them; the last: " + error;
    if (alert == null) {
      alert = lifecycle.open(AlertEngine.WRITE_REFUSED_RULE, Labels.of("source", "alert-store"), Severity.WARNING, now);
      alert.summary = summary;
      alert.value = (double) refused;
      lifecycle.fire(alert, now);
    } else {
      alert.summary = summary;
      alert.value = (double) refused;
    }
  }

  @Override
  public void tick(Instant now) {
    if (alert != null && lastRefusal.plus(lifecycle.repeatInterval()).isBefore(now)) {
      alert.summary = "no alert decision refused by the database since " + lastRefusal;
      lifecycle.resolve(alert, now, "no refusal for a repeat interval");
      alert = null;
      refused = 0;
    }
  }

  /** A restored alert goes on counting from its value; the quiet interval starts again at the restart. */
  @Override
  public boolean adopt(Alert restored, Instant now) {
    if (!AlertEngine.WRITE_REFUSED_RULE.equals(restored.rule)) {
      return false;
    }
    alert = restored;
    lastRefusal = now;
    refused = restored.value == null ? 1 : restored.value.longValue();
    return true;
  }
}
