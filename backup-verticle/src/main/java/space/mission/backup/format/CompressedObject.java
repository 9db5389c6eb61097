package space.mission.backup.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One table's object as it is produced: uncompressed lines go in through {@link #content()}, are
 * hashed (what a restored table must hash to), gzip-compressed, hashed again (what the stored object
 * must hash to) and cut into parts of about {@code partBytes} for the upload. Memory stays at about
 * one part whatever the table's size.
 */
public final class CompressedObject {

  private final int partBytes;
  private final Parts parts;
  private final MessageDigest objectDigest = newSha256();
  private final MessageDigest contentDigest = newSha256();
  private final CountingOutputStream content;
  private final GZIPOutputStream gzip;
  private long objectBytes;
  private String sha256;
  private String contentSha256;

  public CompressedObject(int level, int partBytes) {
    this.partBytes = partBytes;
    this.parts = new Parts(partBytes);
    try {
      this.gzip = new GZIPOutputStream(new DigestOutputStream(parts, objectDigest), 64 * 1024) {
        {
          def.setLevel(level);
        }
      };
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.content = new CountingOutputStream(new DigestOutputStream(gzip, contentDigest));
  }

  /** Where the uncompressed lines are written. */
  public OutputStream content() {
    return content;
  }

  /** Parts of at least {@code partBytes} that are ready to upload (possibly none). */
  public List<byte[]> takeFullParts() {
    List<byte[]> full = new ArrayList<>();
    while (parts.size() >= partBytes) {
      full.add(parts.take());
    }
    return full;
  }

  /** Ends the gzip stream and the digests; answers the remaining parts (the last one smaller than a full one). */
  public List<byte[]> finish() throws IOException {
    content.flush();
    gzip.finish();
    List<byte[]> rest = takeFullParts();
    if (parts.size() > 0 || rest.isEmpty()) {
      rest.add(parts.take());
    }
    sha256 = HexFormat.of().formatHex(objectDigest.digest());
    contentSha256 = HexFormat.of().formatHex(contentDigest.digest());
    return rest;
  }

  /** Compressed size so far (all of it after {@link #finish()}). */
  public long bytes() {
    return objectBytes + parts.size();
  }

  public long contentBytes() {
    return content.count();
  }

  /** The stored object's SHA-256 (hex), known after {@link #finish()}. */
  public String sha256() {
    return sha256;
  }

  /** The uncompressed lines' SHA-256 (hex), known after {@link #finish()}. */
  public String contentSha256() {
    return contentSha256;
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Compressed bytes waiting to be cut into a part. */
  private final class Parts extends ByteArrayOutputStream {
    Parts(int partBytes) {
      super(partBytes + 128 * 1024);
    }

    byte[] take() {
      byte[] part = toByteArray();
      objectBytes += part.length;
      reset();
      return part;
    }
  }
}
