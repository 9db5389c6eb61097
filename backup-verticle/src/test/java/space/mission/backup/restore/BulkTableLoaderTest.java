package space.mission.backup.restore;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.backup.BackupSettings;
import space.mission.backup.format.Column;
import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.TableEntry;
import space.mission.testkit.FreshDatabase;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LOAD DATA LOCAL takes what it can and only warns; the loader turns any warning or missing row into a failure. */
class BulkTableLoaderTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @TempDir
  static Path scratch;

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("Rows load, checked against the manifest's count and content hash")
  void loads() throws Exception {
    db.execute("CREATE TABLE fits (id INT PRIMARY KEY, name VARCHAR(20) NULL, raw VARBINARY(8) NULL)");
    load("fits", List.of("[1,\"tab\\there\",\"AQID\"]", "[2,null,null]"));
    assertThat(db.queryStrings("SELECT CONCAT_WS('|', id, COALESCE(name, '-'), COALESCE(HEX(raw), '-')) FROM fits ORDER BY id"))
      .containsExactly("1|tab\there|010203", "2|-|-");
  }

  @Test
  @DisplayName("A value the column cannot hold: the restore fails with the database's warning instead of keeping a cut value")
  void warningFails() {
    db.execute("CREATE TABLE narrow (id INT PRIMARY KEY, name VARCHAR(3) NOT NULL)");
    assertThatThrownBy(() -> load("narrow", List.of("[1,\"abc\"]", "[2,\"too long\"]")))
      .isInstanceOf(RestoreException.class).hasMessageContaining("table narrow").hasMessageContaining("warned");
  }

  @Test
  @DisplayName("A row the table already holds is skipped by LOAD DATA LOCAL: the restore fails instead of going on")
  void skippedRowFails() {
    db.execute("CREATE TABLE taken (id INT PRIMARY KEY)");
    db.execute("INSERT INTO taken VALUES (2)");
    assertThatThrownBy(() -> load("taken", List.of("[1]", "[2]", "[3]")))
      .isInstanceOf(RestoreException.class).hasMessageContaining("took 2 of 3 rows");
  }

  private static void load(String table, List<String> lines) throws Exception {
    // the object as a backup writes it
    Path object = scratch.resolve(table + ".ndjson.gz");
    CompressedObject compressed = new CompressedObject(1, BackupSettings.MIN_PART_BYTES);
    for (String line : lines) {
      compressed.content().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    try (OutputStream out = Files.newOutputStream(object)) {
      for (byte[] part : compressed.finish()) {
        out.write(part);
      }
    }
    List<Column> columns = db.queryStrings("SELECT CONCAT(COLUMN_NAME, ' ', DATA_TYPE) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
      + "AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION").stream().map(text -> new Column(text.split(" ")[0], text.split(" ")[1])).toList();
    TableEntry entry = new TableEntry(table, "", columns, List.of("id"), table, lines.size(), compressed.bytes(), compressed.sha256(),
      compressed.contentSha256());
    SqlConnection target = MySQLConnection.connect(vertx, db.url().connectOptions()).await();
    try {
      // a scratch folder that does not exist yet, as for a restore from the local store
      new BulkTableLoader(vertx, target, entry, object, scratch.resolve("chunks-" + table), 16 << 20).load().await();
    } finally {
      target.close().await();
    }
  }
}
