package space.mission.alert.engine;

import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.StatusUpdate;

import java.time.Instant;

/**
 * One rule family: it watches its inputs, decides when its rules' conditions start and end, and
 * leaves the rest of an alert's life (firing, grouping, repeats, silences) to the
 * {@link AlertLifecycle} it was given. A new family is a class of this kind and its entry in the
 * rule parser; the engine hands every input and tick to every family.
 *
 * <p>An input method answers whether this family evaluated the input: the engine sends the groups
 * that are due only after an input some family evaluated (so an update no rule watches changes
 * nothing, not even the time at which waiting groups go out).
 */
interface RuleEvaluator {

  default boolean onReading(ResourceReading reading, Instant now) {
    return false;
  }

  default boolean onStatusUpdate(StatusUpdate update, Instant now) {
    return false;
  }

  default boolean onBackupEvent(BackupEvent event, Instant now) {
    return false;
  }

  /** What time alone changes for this family. */
  default void tick(Instant now) {
  }

  /**
   * Takes back an alert restored from the store if one of this family's rules raised it, and
   * answers whether it did; the lifecycle already holds it.
   */
  boolean adopt(Alert alert, Instant now);
}
