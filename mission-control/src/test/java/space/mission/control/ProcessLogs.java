package space.mission.control;

import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.JarProcess;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the cluster tests read off their processes: log lines counted and awaited, and who holds a role's lease. */
final class ProcessLogs {

  private static final Pattern HOLDER_PID = Pattern.compile("^(\\d+)@");

  private ProcessLogs() {
  }

  static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  /** Waits until {@code process} has logged {@code text} at least {@code atLeast} times. */
  static void awaitCount(JarProcess process, String text, int atLeast, Duration timeout) throws Exception {
    Await.until(timeout, Duration.ofMillis(200), () -> String.format("\"%s\" %d times:%n%s", text, atLeast, process.tail()),
      () -> count(process.output(), text) >= atLeast);
  }

  /** The one of {@code candidates} holding the alert role's lease now: its pid leads the holder id. */
  static JarProcess alertHolder(FreshDatabase db, JarProcess... candidates) {
    return Await.value(Duration.ofSeconds(20), Duration.ofMillis(200), () -> holderNow(db, candidates), Optional::isPresent)
      .orElseThrow(() -> new AssertionError("none of the given alert instances holds the lease"));
  }

  private static Optional<JarProcess> holderNow(FreshDatabase db, JarProcess... candidates) {
    List<String> holders;
    try {
      holders = db.queryStrings("SELECT holder FROM mission_lease WHERE name = 'role:alert' AND expires_at > NOW(3)");
    } catch (IllegalStateException notYet) {
      // the lease table appears with the first instance that tries for the lease
      return Optional.empty();
    }
    if (!holders.isEmpty()) {
      Matcher pid = HOLDER_PID.matcher(holders.get(0));
      if (pid.find()) {
        long holderPid = Long.parseLong(pid.group(1));
        for (JarProcess candidate : candidates) {
          if (candidate.handle().pid() == holderPid) {
            return Optional.of(candidate);
          }
        }
      }
    }
    return Optional.empty();
  }
}
