import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import space.mission.backup.BackupRestore;
import space.mission.backup.BackupSettings;
import space.mission.backup.BackupVerticle;
import space.mission.backup.format.Manifest;
import space.mission.runtime.MissionVertx;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BackupRequest;
import space.mission.runtime.cluster.ClusterSettings;
import space.mission.common.config.ConfigLoader;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.DatabaseUrl;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One phase of the backup benchmark (bench/backup/run.sh), in a JVM of its own so its peak RSS is
 * its own: "backup" deploys the backup role (verification off: the backup alone is timed) and asks
 * it for BENCH_WARMUP_RUNS + BENCH_RUNS backups, one after the other, as a long-running role takes
 * them (the first is a fresh JVM's; the measured runs are those after the warm-up); "restore"
 * restores BENCH_BACKUP_ID into another schema. Prints Markdown rows.
 * With BENCH_BASELINE (a shell command: mariadb-dump | gzip, gunzip | mariadb), the baseline runs
 * right before each backup, or next to the restore (after it with BENCH_BASELINE_ORDER=after), so
 * each pair is measured in the same state of the machine (two shared cores whose speed drifts over
 * minutes), and each row of ours says how fast it was against its own baseline.
 * Environment: BENCH_DB_URL, BENCH_DATA_DIR, BENCH_S3_ENDPOINT (unset: local store), BENCH_BACKUP_ID,
 * BENCH_RESTORE_DB_URL, BENCH_LABEL, BENCH_WARMUP_RUNS, BENCH_RUNS, BENCH_BASELINE, BENCH_BASELINE_LABEL,
 * BENCH_BASELINE_ORDER, BENCH_BASELINE_FILE (what the dump writes, for its size), BENCH_DB_PID (the
 * database server's process, whose CPU is reported).
 */
public class BackupBench {

  public static void main(String[] args) throws Exception {
    String phase = args[0];
    Map<String, String> env = new HashMap<>();
    env.put("MC_DB_URL", System.getenv("BENCH_DB_URL"));
    env.put("MC_DATA_DIR", System.getenv("BENCH_DATA_DIR"));
    env.put("MC_BACKUP_SCHEDULE", "off");
    env.put("MC_BACKUP_VERIFY_ENABLED", "false");
    Optional.ofNullable(System.getenv("BENCH_COMPRESSION_LEVEL")).ifPresent(level -> env.put("MC_BACKUP_COMPRESSION_LEVEL", level));
    Optional.ofNullable(System.getenv("BENCH_PAGE_ROWS")).ifPresent(rows -> env.put("MC_BACKUP_PAGE_ROWS", rows));
    String s3 = System.getenv("BENCH_S3_ENDPOINT");
    if (s3 != null) {
      // every AWS client at loopback; CloudWatch metrics have nowhere to go and are not under test
      env.put("MC_AWS_REGION", "us-east-1");
      env.put("MC_AWS_ENDPOINT", s3);
      env.put("MC_BACKUP_BUCKET", "bench");
      env.put("MC_METRICS_CLOUDWATCH_PREFIXES", "none.");
    }
    Vertx vertx = MissionVertx.start(new ClusterSettings(false, "bench", List.of(), 5701, Optional.empty(), Optional.empty())).await();
    try {
      JsonObject config = ConfigLoader.load(vertx, List.of(BackupVerticle.ROLE), env).await();
      BackupSettings settings = BackupSettings.from(new ConfigReader(config));
      if (phase.equals("backup")) {
        backups(vertx, config, settings);
      } else {
        restore(vertx, settings);
      }
    } finally {
      vertx.close().await();
    }
  }

  /** The backups of one deployed role, each after its baseline when there is one; then how they compare. */
  private static void backups(Vertx vertx, JsonObject config, BackupSettings settings) throws Exception {
    AtomicReference<CompletableFuture<BackupEvent>> finished = new AtomicReference<>(new CompletableFuture<>());
    vertx.eventBus().<JsonObject>consumer(Addresses.BACKUP_EVENT, message -> {
      BackupEvent event = BackupEvent.fromJson(message.body());
      if (event.type() != BackupEvent.Type.STARTED) {
        finished.get().complete(event);
      }
    }).completion().await();
    vertx.deployVerticle(new BackupVerticle(), new DeploymentOptions().setConfig(config)).await();
    // JMH's way: warm-up runs first (the first is a fresh JVM's), then the measured ones
    int warmUps = Integer.parseInt(Optional.ofNullable(System.getenv("BENCH_WARMUP_RUNS")).orElse("0"));
    int runs = warmUps + Integer.parseInt(Optional.ofNullable(System.getenv("BENCH_RUNS")).orElse("1"));
    String label = System.getenv("BENCH_LABEL");
    List<Double> speeds = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      Optional<Measured> before = Measured.baseline();
      finished.set(new CompletableFuture<>());
      resetPeaks();
      CpuSeconds cpu = new CpuSeconds();
      long started = System.nanoTime();
      BackupAccepted accepted = BackupAccepted.fromJson(vertx.eventBus().<JsonObject>request(Addresses.BACKUP_REQUEST,
        new BackupRequest("bench", null).toJson()).await().body());
      BackupEvent event = finished.get().get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - started) / 1e9;
      String cpuSeconds = cpu.since();
      if (event.type() != BackupEvent.Type.SUCCEEDED) {
        throw new IllegalStateException("backup failed: " + event.error());
      }
      Files.writeString(Path.of(System.getenv("BENCH_DATA_DIR"), "backup-id"), accepted.backupId());
      Manifest manifest;
      try (BackupRestore backups = new BackupRestore(vertx, settings)) {
        manifest = backups.manifest(accepted.backupId()).await();
      }
      String name = runs == 1 ? label : label + (run <= warmUps ? ", warm-up " : ", run ") + run + (run == 1 ? " (a fresh JVM)" : "");
      String time = String.format("%.2f s", seconds);
      if (before.isPresent()) {
        Measured dump = before.get();
        long dumpBytes = Files.size(Path.of(System.getenv("BENCH_BASELINE_FILE")));
        System.out.printf("| %s, before %d | %.2f s | %,.0f rows/s | %.1f MB/s | %.1f MB | — | — | %s |%n", System.getenv("BENCH_BASELINE_LABEL"),
          run, dump.seconds(), manifest.rows() / dump.seconds(), dumpBytes / 1e6 / dump.seconds(), dumpBytes / 1e6, dump.cpu());
        speeds.add(dump.seconds() / seconds);
        time += String.format(" (%.2f×)", dump.seconds() / seconds);
      }
      printRow(name, time, manifest, seconds, cpuSeconds);
    }
    if (!speeds.isEmpty()) {
      List<Double> measured = new ArrayList<>(speeds.subList(warmUps, speeds.size()));
      Collections.sort(measured);
      int middle = measured.size() / 2;
      double median = measured.size() % 2 == 1 ? measured.get(middle) : (measured.get(middle - 1) + measured.get(middle)) / 2;
      System.out.printf("SPEED %s, against the baseline just before each: the first backup of a fresh JVM %.2f×; runs %d-%d %.2f× (median; %.2f-%.2f×)%n",
        label, speeds.get(0), warmUps + 1, runs, median, measured.get(0), measured.get(measured.size() - 1));
    }
  }

  /**
   * Restores BENCH_BACKUP_ID into the schema of BENCH_RESTORE_DB_URL, next to its baseline when there
   * is one: before it, or after it with BENCH_BASELINE_ORDER=after (loads leave the server work to do
   * for whatever comes next, so run.sh takes turns).
   */
  private static void restore(Vertx vertx, BackupSettings settings) throws Exception {
    boolean baselineAfter = "after".equals(System.getenv("BENCH_BASELINE_ORDER"));
    Optional<Measured> before = baselineAfter ? Optional.empty() : Measured.baseline();
    resetPeaks();
    CpuSeconds cpu = new CpuSeconds();
    long started = System.nanoTime();
    DatabaseUrl target = DatabaseUrl.parse(System.getenv("BENCH_RESTORE_DB_URL"));
    SqlConnection connection = MySQLConnection.connect(vertx, target.connectOptions()).await();
    // the bench restores the backup it just took: the manifest is taken on its own word (no catalog here)
    Manifest manifest;
    try (BackupRestore backups = new BackupRestore(vertx, settings)) {
      manifest = backups.restore(System.getenv("BENCH_BACKUP_ID"), null, connection, Path.of(System.getenv("BENCH_DATA_DIR"), "scratch"), false)
        .await();
    }
    connection.close().await();
    double seconds = (System.nanoTime() - started) / 1e9;
    String cpuSeconds = cpu.since();
    Optional<Measured> load = baselineAfter ? Measured.baseline() : before;
    String time = String.format("%.2f s", seconds);
    if (load.isPresent()) {
      System.out.printf("| %s | %.2f s | %,.0f rows/s | — | — | — | — | %s |%n", System.getenv("BENCH_BASELINE_LABEL"), load.get().seconds(),
        manifest.rows() / load.get().seconds(), load.get().cpu());
      time += String.format(" (%.2f×)", load.get().seconds() / seconds);
      System.out.printf("RESTORE_SPEED %.4f%n", load.get().seconds() / seconds);
    }
    printRow(System.getenv("BENCH_LABEL"), time, manifest, seconds, cpuSeconds);
  }

  /** One Markdown row for a backup or a restore of {@code manifest} that took {@code seconds}. */
  private static void printRow(String name, String time, Manifest manifest, double seconds, String cpu) throws Exception {
    System.out.printf("| %s | %s | %,.0f rows/s | %.1f MB/s | %.1f MB | %d MiB | %d MiB | %s |%n", name, time, manifest.rows() / seconds,
      manifest.bytes() / 1e6 / seconds, manifest.bytes() / 1e6, peakHeapMiB(), peakRssMiB(), cpu);
  }

  /** A shell command's wall time and CPU: its processes' (user + system, reaped children) and the database server's. */
  private record Measured(double seconds, String cpu) {

    /** BENCH_BASELINE's, run now; empty when there is none. */
    static Optional<Measured> baseline() throws Exception {
      String command = System.getenv("BENCH_BASELINE");
      return command == null ? Optional.empty() : Optional.of(shell(command));
    }

    static Measured shell(String command) throws Exception {
      CpuSeconds cpu = new CpuSeconds();
      long started = System.nanoTime();
      Process process = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException("the baseline failed: " + command + "\n" + output);
      }
      return new Measured((System.nanoTime() - started) / 1e9, cpu.sinceForChildren());
    }
  }

  /**
   * CPU time (user + system, from /proc) of this JVM and of the database server since it was made:
   * what a phase costs the machine, which its wall time on two busy, shared cores does not show.
   */
  private static final class CpuSeconds {
    private final String dbPid = System.getenv("BENCH_DB_PID");
    private final long ours = ticks("self");
    private final long children = childTicks();
    private final long db = dbPid == null || dbPid.isBlank() ? -1 : ticks(dbPid);

    String since() {
      return withDatabase(ticks("self") - ours);
    }

    /** The same, for the processes this JVM started and has waited for (a baseline command's). */
    String sinceForChildren() {
      return withDatabase(childTicks() - children);
    }

    /** "processes / database" in core-seconds, "—" for a database server not on this machine. */
    private String withDatabase(long processTicks) {
      String processes = String.format("%.2f", processTicks / 100.0);
      return db < 0 ? processes + " / —" : String.format("%s / %.2f", processes, (ticks(dbPid) - db) / 100.0);
    }

    private static long childTicks() {
      String[] fields = statFields("self");
      return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    /** utime + stime of a process, in the kernel's clock ticks (USER_HZ, 100 on Linux). */
    private static long ticks(String pid) {
      String[] fields = statFields(pid);
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** /proc/PID/stat's fields after the command name: [11] utime, [12] stime, [13] cutime, [14] cstime. */
    private static String[] statFields(String pid) {
      try {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      } catch (Exception e) {
        throw new IllegalStateException("no CPU times for process " + pid, e);
      }
    }
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeapMiB() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
      .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() >> 20;
  }

  private static long peakRssMiB() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("VmHWM"))
      .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0) >> 10;
  }
}
