package space.mission.backup.restore;

import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.TableEntry;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A table's object read back as lines (blocking: workers only), decompressed and hashed on the way,
 * so that once all are read they can be checked against the manifest's row count and content hash.
 */
final class TableLines implements Closeable {

  private final TableEntry table;
  private final MessageDigest digest = CompressedObject.newSha256();
  private final BufferedReader reader;
  private long count;

  TableLines(TableEntry table, Path file) throws IOException {
    this.table = table;
    this.reader = new BufferedReader(new InputStreamReader(new DigestInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16), digest),
      StandardCharsets.UTF_8), 1 << 16);
  }

  /** The next line, or null after the last. */
  String next() throws IOException {
    String line = reader.readLine();
    if (line != null) {
      count++;
    }
    return line;
  }

  /** After the last line: as many as the manifest says, hashing to its content SHA-256. */
  void check() {
    String content = HexFormat.of().formatHex(digest.digest());
    if (count != table.rows()) {
      throw new RestoreException("table " + table.name() + ": the object holds " + count + " rows, the manifest says " + table.rows());
    }
    if (!content.equals(table.contentSha256())) {
      throw new RestoreException("table " + table.name() + ": the rows' SHA-256 is " + content + ", the manifest says " + table.contentSha256());
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
