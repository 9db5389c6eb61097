import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import space.mission.backup.BackupSettings;
import space.mission.backup.BackupVerticle;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.Restorer;
import space.mission.backup.store.BackupStore;
import space.mission.backup.store.LocalBackupStore;
import space.mission.backup.store.S3BackupStore;
import space.mission.common.MissionVertx;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BackupRequest;
import space.mission.common.cluster.ClusterSettings;
import space.mission.common.config.ConfigLoader;
import space.mission.common.config.ConfigReader;
import space.mission.common.db.DatabaseUrl;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * for one backup; "restore" restores that backup into another schema. Prints one Markdown row.
 * Environment: BENCH_DB_URL, BENCH_DATA_DIR, BENCH_S3_ENDPOINT (unset: local store), BENCH_BACKUP_ID,
 * BENCH_RESTORE_DB_URL, BENCH_LABEL, BENCH_DB_PID (the database server's process, whose CPU is reported).
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
      resetPeaks();
      CpuSeconds cpu = new CpuSeconds();
      long started = System.nanoTime();
      Manifest manifest;
      if (phase.equals("backup")) {
        AtomicReference<CompletableFuture<BackupEvent>> finished = new AtomicReference<>(new CompletableFuture<>());
        vertx.eventBus().<JsonObject>consumer(Addresses.BACKUP_EVENT, message -> {
          BackupEvent event = BackupEvent.fromJson(message.body());
          if (event.type() != BackupEvent.Type.STARTED) {
            finished.get().complete(event);
          }
        }).completion().await();
        vertx.deployVerticle(new BackupVerticle(), new DeploymentOptions().setConfig(config)).await();
        // BENCH_RUNS > 1: the same role backs up again, as a long-running one does (classes loaded, code compiled)
        int runs = Integer.parseInt(Optional.ofNullable(System.getenv("BENCH_RUNS")).orElse("1"));
        manifest = null;
        for (int run = 1; run <= runs; run++) {
          finished.set(new CompletableFuture<>());
          resetPeaks();
          cpu = new CpuSeconds();
          started = System.nanoTime();
          BackupAccepted accepted = BackupAccepted.fromJson(vertx.eventBus().<JsonObject>request(Addresses.BACKUP_REQUEST,
            new BackupRequest("bench", null).toJson()).await().body());
          BackupEvent event = finished.get().get(30, TimeUnit.MINUTES);
          if (event.type() != BackupEvent.Type.SUCCEEDED) {
            throw new IllegalStateException("backup failed: " + event.error());
          }
          Files.writeString(Path.of(System.getenv("BENCH_DATA_DIR"), "backup-id"), accepted.backupId());
          manifest = new Restorer(vertx, store(vertx, settings), 1000).manifest(accepted.backupId()).await();
          if (run < runs) {
            report(run == 1 ? System.getenv("BENCH_LABEL") : System.getenv("BENCH_LABEL") + ", run " + run, started, cpu, manifest);
          }
        }
        report(runs == 1 ? System.getenv("BENCH_LABEL") : System.getenv("BENCH_LABEL") + ", run " + runs + " in the same JVM", started, cpu,
          manifest);
        return;
      } else {
        BackupStore store = store(vertx, settings);
        DatabaseUrl target = DatabaseUrl.parse(System.getenv("BENCH_RESTORE_DB_URL"));
        SqlConnection connection = MySQLConnection.connect(vertx, target.connectOptions()).await();
        manifest = new Restorer(vertx, store, 1000).restore(System.getenv("BENCH_BACKUP_ID"), connection,
          Path.of(System.getenv("BENCH_DATA_DIR"), "scratch"), false).await();
        connection.close().await();
      }
      report(System.getenv("BENCH_LABEL"), started, cpu, manifest);
    } finally {
      vertx.close().await();
    }
  }

  private static void report(String label, long started, CpuSeconds cpu, Manifest manifest) throws Exception {
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("| %s | %.1f s | %,.0f rows/s | %.1f MB/s | %.1f MB | %d MiB | %d MiB | %s |%n", label, seconds,
      manifest.rows() / seconds, manifest.bytes() / 1e6 / seconds, manifest.bytes() / 1e6, peakHeapMiB(), peakRssMiB(), cpu.since());
  }

  /**
   * CPU time (user + system, from /proc) of this JVM and of the database server since it was made:
   * what a phase costs the machine, which its wall time on two busy, shared cores does not show.
   */
  private static final class CpuSeconds {
    private final String dbPid = System.getenv("BENCH_DB_PID");
    private final long ours = ticks("self");
    private final long db = dbPid == null || dbPid.isBlank() ? -1 : ticks(dbPid);

    String since() {
      String jvm = String.format("%.2f", (ticks("self") - ours) / 100.0);
      return db < 0 ? jvm + " / —" : String.format("%s / %.2f", jvm, (ticks(dbPid) - db) / 100.0);
    }

    /** utime + stime of a process, in the kernel's clock ticks (USER_HZ, 100 on Linux). */
    private static long ticks(String pid) {
      try {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (Exception e) {
        throw new IllegalStateException("no CPU times for process " + pid, e);
      }
    }
  }

  private static BackupStore store(Vertx vertx, BackupSettings settings) {
    return settings.aws().enabled() ? S3BackupStore.create(vertx, settings) : new LocalBackupStore(vertx, settings.dataDir().resolve("backups"));
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
