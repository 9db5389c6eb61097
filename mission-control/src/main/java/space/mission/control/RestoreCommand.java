package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import space.mission.backup.BackupRestore;
import space.mission.backup.BackupSettings;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.RestoreException;
import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.runtime.db.EmbeddedMariaDb;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code java -jar mission-control.jar restore --backup <id> [--target-db <url>] [--force]}: brings a
 * backup back from where the backup role keeps them (S3 in AWS mode, data/backups locally). The
 * manifest is checked against the checksum the backup catalog recorded, every object against the
 * manifest, before a row is written; a target that is not empty is refused unless forced; the load
 * goes through a staging schema, so a failed restore leaves the target as it was. Without --target-db it restores into MC_DB_URL, or into the all-in-one's
 * embedded database (which must not be running).
 */
@Command(name = "restore",
  description = {"Restore a backup into an empty database (see the README).",
    "Run it while Mission Control is stopped when the target is its own database."},
  sortOptions = false,
  usageHelpAutoWidth = true)
final class RestoreCommand implements Callable<Integer> {

  @Option(names = "--backup", paramLabel = "ID", description = "The backup to restore (see GET /api/v1/backups, or --list).")
  String backupId;

  @Option(names = "--list", description = "List the backups in the store and exit.")
  boolean list;

  @Option(names = "--target-db", paramLabel = "URL",
    description = "mysql://user:password@host:3306/database to restore into. Default: MC_DB_URL, else the embedded database.")
  String targetDb;

  @Option(names = "--force", description = "Restore into a database that has tables: the backup's tables are dropped and replaced.")
  boolean force;

  @Option(names = "--unchecked-manifest",
    description = "Restore a backup the catalog has no manifest checksum for (catalog lost, or a backup it found in the store) on the "
      + "manifest's own word.")
  boolean uncheckedManifest;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;

  RestoreCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (!list && backupId == null) {
      err.println("mission-control restore: give --backup <id> (or --list to see the backups)");
      return 2;
    }
    BackupSettings settings;
    boolean configuredDatabase;
    try {
      JsonObject config = MissionControl.loadConfig(env);
      ConfigReader reader = new ConfigReader(config);
      configuredDatabase = reader.optionalString("db.url").isPresent();
      if (!configuredDatabase) {
        // a stand-in, as the launcher does: without a URL the target is the embedded database, found once it runs
        config.getJsonObject("db").put("url", "mysql://root@127.0.0.1:3306/" + MissionControl.EMBEDDED_DATABASE);
      }
      settings = BackupSettings.from(reader);
    } catch (ConfigException e) {
      err.println("mission-control restore: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    BackupRestore backups = new BackupRestore(vertx, settings);
    EmbeddedMariaDb embedded = null;
    Path scratch = settings.dataDir().resolve("scratch").resolve("restore-" + (backupId == null ? "list" : backupId));
    try {
      if (list) {
        return list(backups);
      }
      DatabaseUrl catalogDb;
      if (configuredDatabase) {
        catalogDb = settings.database().url();
      } else {
        // the all-in-one keeps its catalog in the embedded database, which is also the default target
        embedded = EmbeddedMariaDb.prepare(settings.dataDir().resolve("mariadb"), 0);
        embedded.start();
        catalogDb = embedded.database(MissionControl.EMBEDDED_DATABASE);
      }
      DatabaseUrl target = targetDb != null ? parse(targetDb) : catalogDb;
      String manifestSha256 = manifestChecksum(vertx, catalogDb);
      long started = System.nanoTime();
      SqlConnection connection = MySQLConnection.connect(vertx, target.connectOptions()).await();
      Manifest manifest;
      try {
        manifest = backups.restore(backupId, manifestSha256, connection, scratch, force).await();
      } finally {
        connection.close().await();
      }
      out.printf("Restored backup %s (%d tables, %d rows, taken %s) into %s in %.1f s%n", manifest.backupId(), manifest.tables().size(),
        manifest.rows(), manifest.startedAt(), target.redacted(), (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (RestoreException e) {
      err.println("mission-control restore: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("mission-control restore: failed: " + e.getMessage());
      return 1;
    } finally {
      backups.close();
      vertx.close().await();
      if (embedded != null) {
        embedded.stop();
      }
      deleteTree(scratch);
      out.flush();
      err.flush();
    }
  }

  private int list(BackupRestore backups) {
    int found = 0;
    for (String id : backups.backupIds().await()) {
      Manifest manifest = backups.manifest(id).await();
      out.printf("%s  %s  %d tables  %d rows  %d bytes%n", id, manifest.startedAt(), manifest.tables().size(), manifest.rows(),
        manifest.bytes());
      found++;
    }
    out.printf("%d backups in %s%n", found, backups.location());
    return 0;
  }

  /**
   * The manifest's SHA-256 the catalog recorded when the backup was taken; null only with
   * --unchecked-manifest, when the catalog cannot vouch for it.
   */
  private String manifestChecksum(Vertx vertx, DatabaseUrl catalogDb) {
    String problem;
    try {
      SqlConnection catalog = MySQLConnection.connect(vertx, catalogDb.connectOptions()).await();
      try {
        Optional<String> checksum = BackupRestore.manifestChecksum(catalog, backupId).await();
        if (checksum.isPresent()) {
          return checksum.get();
        }
        problem = "the backup catalog in " + catalogDb.redacted() + " has no finished backup " + backupId + " with a manifest checksum";
      } finally {
        catalog.close().await();
      }
    } catch (RestoreException e) {
      throw e;
    } catch (RuntimeException e) {
      problem = "the backup catalog in " + catalogDb.redacted() + " cannot be read (" + e.getMessage() + ")";
    }
    if (uncheckedManifest) {
      err.println("mission-control restore: " + problem + "; restoring on the manifest's own word (--unchecked-manifest)");
      return null;
    }
    throw new RestoreException(problem + ", so an edited manifest could not be told from the one the backup wrote; nothing was "
      + "restored. Restore it anyway with --unchecked-manifest if you trust the store");
  }

  private static DatabaseUrl parse(String url) {
    try {
      return DatabaseUrl.parse(url);
    } catch (RuntimeException e) {
      throw new RestoreException("--target-db: expected mysql://user:password@host:3306/database, got " + url + " (" + e.getMessage() + ")");
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // scratch space only: left for the next run to overwrite
    }
  }
}
