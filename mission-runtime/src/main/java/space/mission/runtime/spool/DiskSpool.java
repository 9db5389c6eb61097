package space.mission.runtime.spool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A bounded, durable FIFO of records on disk: what waits here survives an outage of the receiver
 * and a restart of the sender. Records are appended to segment files ({@code seg-N.log}, one line
 * per record: {@code <epoch millis> TAB <payload>}), read from a cursor, and released by
 * {@link #commit}: the cursor is persisted (written aside, then moved into place) and segments
 * wholly behind it are deleted. When the spool outgrows its bound, the oldest segments are dropped
 * and {@link #append} reports what was lost, so the caller can count it; what was lost also adds up
 * in {@link #pendingGap} until a record of the gap has gone out with a delivered batch. A
 * batch being sent ({@link #lease} until {@link #commit} or {@link #release}) is accounted for
 * exactly: if its segment is dropped meanwhile, its records count as lost only if it is released.
 * One process at a time owns a spool directory (a file lock).
 *
 * <p>All methods do blocking file I/O: call them from a worker thread, never an event loop. A line
 * torn by a crash mid-write is cut off when the spool is opened again.
 */
public final class DiskSpool implements AutoCloseable {

  /** One spooled record; {@code payload} must not contain a newline (JSON text never does). */
  public record Record(long timestamp, String payload) {
  }

  /** A place in the spool: a segment and a byte offset in it. */
  public record Position(long segment, long offset) {
  }

  /** A record read from the spool, with the position just after it (commit that to release it). */
  public record Entry(Record record, Position after) {
  }

  /** Records dropped unsent to keep the spool within its bound. */
  public record Dropped(long count, long fromTimestamp, long toTimestamp) {
  }

  private static final String CURSOR = "cursor";
  private static final long MAX_SEGMENT_BYTES = 8L << 20;

  private static final class Segment {
    final long seq;
    final Path file;
    long bytes;
    long records;

    Segment(long seq, Path file) {
      this.seq = seq;
      this.file = file;
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private FileChannel tail;
  private Position cursor;
  /** Read without the lock (gauges, logs on event loops), so never blocked behind disk I/O. */
  private volatile long pendingRecords;
  private volatile long totalBytes;
  /** The end of the batch being sent (between {@link #lease} and {@link #commit}/{@link #release}), or null. */
  private Position leaseEnd;
  /** Records of the batch being sent whose segment was dropped meanwhile: delivered if it commits, lost if it is released. */
  private long inFlightRemoved;
  private long inFlightFrom = Long.MAX_VALUE;
  private long inFlightTo = Long.MIN_VALUE;
  private FileChannel lockChannel;
  private FileLock lock;
  /** Everything dropped and not yet recorded downstream: kept in the file "gap" so a restart does not forget it. */
  private Dropped pendingGap;

  private DiskSpool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = Math.max(512, Math.min(MAX_SEGMENT_BYTES, maxBytes / 16));
  }

  /** Opens (or creates) the spool in {@code dir}, holding at most about {@code maxBytes} on disk. */
  public static DiskSpool open(Path dir, long maxBytes) throws IOException {
    DiskSpool spool = new DiskSpool(dir, maxBytes);
    spool.load();
    return spool;
  }

  private void load() throws IOException {
    Files.createDirectories(dir);
    lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the spool " + dir + " is in use by another sender (one spool directory per process and role)");
    }
    List<Long> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(path -> path.getFileName().toString())
        .filter(name -> name.matches("seg-\\d+\\.log"))
        .forEach(name -> found.add(Long.parseLong(name.substring(4, name.length() - 4))));
    }
    found.sort(Long::compare);
    for (long seq : found) {
      Segment segment = new Segment(seq, segmentFile(seq));
      segments.add(segment);
    }
    if (segments.isEmpty()) {
      segments.add(new Segment(1, segmentFile(1)));
      Files.write(segmentFile(1), new byte[0]);
    }
    cursor = readCursor();
    Segment first = segments.peekFirst();
    if (cursor == null || cursor.segment() < first.seq) {
      cursor = new Position(first.seq, 0);
    }
    for (Segment segment : segments) {
      long complete = scan(segment);
      if (segment == segments.peekLast() && complete < Files.size(segment.file)) {
        // a record torn by a crash mid-write: it was never acknowledged to anyone
        try (FileChannel channel = FileChannel.open(segment.file, StandardOpenOption.WRITE)) {
          channel.truncate(complete);
        }
      }
      segment.bytes = complete;
    }
    pendingRecords = countFrom(cursor);
    pendingGap = readGap();
    recount();
    tail = FileChannel.open(segments.peekLast().file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Appends {@code records} durably (fsync) and returns what had to be dropped to stay within the bound, if anything. */
  public synchronized Dropped append(List<Record> records) throws IOException {
    for (Record record : records) {
      byte[] line = (record.timestamp() + "\t" + record.payload() + "\n").getBytes(StandardCharsets.UTF_8);
      Segment last = segments.peekLast();
      if (last.bytes > 0 && last.bytes + line.length > segmentBytes) {
        roll();
        last = segments.peekLast();
      }
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        tail.write(buffer);
      }
      last.bytes += line.length;
      last.records++;
      pendingRecords++;
      totalBytes += line.length;
    }
    tail.force(false);
    return enforceBound();
  }

  /** Up to {@code maxRecords} records (and about {@code maxBytes} of payload) from the cursor on, without releasing them. */
  public synchronized List<Entry> read(int maxRecords, long maxPayloadBytes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long bytes = 0;
    Position position = cursor;
    for (Segment segment : segments) {
      if (segment.seq < position.segment()) {
        continue;
      }
      long offset = segment.seq == position.segment() ? position.offset() : 0;
      try (FileChannel channel = FileChannel.open(segment.file, StandardOpenOption.READ)) {
        channel.position(offset);
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        long limit = segment.bytes;
        for (int next; offset < limit && (next = in.read()) != -1; ) {
          offset++;
          if (next != '\n') {
            line.write(next);
            continue;
          }
          Record record = parse(line.toString(StandardCharsets.UTF_8));
          line.reset();
          if (!entries.isEmpty() && (entries.size() >= maxRecords || bytes + record.payload().length() > maxPayloadBytes)) {
            return entries;
          }
          bytes += record.payload().length();
          entries.add(new Entry(record, new Position(segment.seq, offset)));
        }
      }
    }
    return entries;
  }

  /**
   * Marks the records from the cursor up to {@code end} as being sent. False when the spool changed
   * since they were read (the oldest records were dropped meanwhile): read again.
   */
  public synchronized boolean lease(Position start, Position end) {
    if (!start.equals(cursor)) {
      return false;
    }
    leaseEnd = end;
    inFlightRemoved = 0;
    inFlightFrom = Long.MAX_VALUE;
    inFlightTo = Long.MIN_VALUE;
    return true;
  }

  /** Where the next {@link #read} starts. */
  public synchronized Position cursor() {
    return cursor;
  }

  /**
   * Gives back a leased batch that could not be delivered: it will be read again. Answers what of
   * it is lost because its segment was dropped while it was out (null if nothing).
   */
  public synchronized Dropped release() throws IOException {
    leaseEnd = null;
    if (inFlightRemoved == 0) {
      return null;
    }
    Dropped lost = new Dropped(inFlightRemoved, inFlightFrom, inFlightTo);
    inFlightRemoved = 0;
    addToGap(lost);
    return lost;
  }

  /** What was dropped since the last gap record went out (null if nothing): send it as a record of the gap. */
  public synchronized Dropped pendingGap() {
    return pendingGap;
  }

  /**
   * Releases everything up to {@code upTo} (a position {@link #read} returned), {@code count}
   * records; {@code gapRecorded}: the pending gap was delivered with them (see {@link #pendingGap}).
   */
  public synchronized void commit(Position upTo, int count, Dropped gapRecorded) throws IOException {
    if (gapRecorded != null && pendingGap != null) {
      long left = pendingGap.count() - gapRecorded.count();
      pendingGap = left <= 0 ? null : new Dropped(left, pendingGap.fromTimestamp(), pendingGap.toTimestamp());
      writeGap();
    }
    leaseEnd = null;
    // records of this batch dropped while it was out were delivered after all: they are not pending twice
    pendingRecords = Math.max(0, pendingRecords - (count - inFlightRemoved));
    inFlightRemoved = 0;
    if (upTo.segment() >= segments.peekFirst().seq && before(cursor, upTo)) {
      cursor = upTo;
    }
    while (segments.size() > 1) {
      Segment head = segments.peekFirst();
      boolean consumed = head.seq < cursor.segment() || (head.seq == cursor.segment() && cursor.offset() >= head.bytes);
      if (!consumed) {
        break;
      }
      segments.removeFirst();
      Files.deleteIfExists(head.file);
      if (cursor.segment() <= head.seq) {
        cursor = new Position(segments.peekFirst().seq, 0);
      }
    }
    recount();
    writeCursor();
  }

  /** Records appended and not yet released. Never waits for the spool's lock. */
  public long pendingRecords() {
    return pendingRecords;
  }

  /** Bytes on disk, consumed or not, in the segments still kept. Never waits for the spool's lock. */
  public long bytesOnDisk() {
    return totalBytes;
  }

  private void recount() {
    totalBytes = segments.stream().mapToLong(segment -> segment.bytes).sum();
  }

  @Override
  public synchronized void close() throws IOException {
    tail.close();
    lock.release();
    lockChannel.close();
  }

  private Dropped enforceBound() throws IOException {
    long dropped = 0;
    long removedInFlight = 0;
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    while (bytesOnDisk() > maxBytes && segments.size() > 1) {
      Segment head = segments.removeFirst();
      if (cursor.segment() <= head.seq) {
        long offset = cursor.segment() == head.seq ? cursor.offset() : 0;
        long position = offset;
        for (Record record : recordsOf(head, offset)) {
          position += (record.timestamp() + "\t" + record.payload() + "\n").getBytes(StandardCharsets.UTF_8).length;
          if (leaseEnd != null && !before(leaseEnd, new Position(head.seq, position))) {
            // part of the batch being sent: its fate is known when it commits or is released
            inFlightRemoved++;
            removedInFlight++;
            inFlightFrom = Math.min(inFlightFrom, record.timestamp());
            inFlightTo = Math.max(inFlightTo, record.timestamp());
          } else {
            dropped++;
            from = Math.min(from, record.timestamp());
            to = Math.max(to, record.timestamp());
          }
        }
        cursor = new Position(segments.peekFirst().seq, 0);
      }
      Files.deleteIfExists(head.file);
      recount();
    }
    // whatever left the disk is no longer pending, delivered or not
    pendingRecords = Math.max(0, pendingRecords - dropped - removedInFlight);
    if (dropped == 0 && removedInFlight == 0) {
      return null;
    }
    writeCursor();
    if (dropped == 0) {
      return null;
    }
    Dropped newlyDropped = new Dropped(dropped, from, to);
    addToGap(newlyDropped);
    return newlyDropped;
  }

  private void addToGap(Dropped more) throws IOException {
    pendingGap = pendingGap == null ? more : new Dropped(pendingGap.count() + more.count(),
      Math.min(pendingGap.fromTimestamp(), more.fromTimestamp()), Math.max(pendingGap.toTimestamp(), more.toTimestamp()));
    writeGap();
  }

  private Dropped readGap() throws IOException {
    Path file = dir.resolve("gap");
    if (!Files.exists(file)) {
      return null;
    }
    String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
    try {
      return parts.length == 3 ? new Dropped(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void writeGap() throws IOException {
    Path file = dir.resolve("gap");
    if (pendingGap == null) {
      Files.deleteIfExists(file);
      return;
    }
    Path aside = dir.resolve("gap.next");
    Files.writeString(aside, pendingGap.count() + " " + pendingGap.fromTimestamp() + " " + pendingGap.toTimestamp() + "\n", StandardCharsets.US_ASCII);
    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean before(Position a, Position b) {
    return a.segment() < b.segment() || (a.segment() == b.segment() && a.offset() < b.offset());
  }

  private void roll() throws IOException {
    tail.close();
    long seq = segments.peekLast().seq + 1;
    Segment next = new Segment(seq, segmentFile(seq));
    segments.add(next);
    tail = FileChannel.open(next.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Counts a segment's complete records; answers the length of its complete lines. */
  private long scan(Segment segment) throws IOException {
    long complete = 0;
    long records = 0;
    long offset = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(segment.file), 64 * 1024)) {
      for (int next; (next = in.read()) != -1; ) {
        offset++;
        if (next == '\n') {
          complete = offset;
          records++;
        }
      }
    }
    segment.records = records;
    return complete;
  }

  private long countFrom(Position from) throws IOException {
    long count = 0;
    for (Segment segment : segments) {
      if (segment.seq > from.segment()) {
        count += segment.records;
      } else if (segment.seq == from.segment()) {
        count += recordsOf(segment, from.offset()).size();
      }
    }
    return count;
  }

  private List<Record> recordsOf(Segment segment, long offset) throws IOException {
    List<Record> records = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(segment.file, StandardOpenOption.READ)) {
      channel.position(offset);
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      for (int next; (next = in.read()) != -1; ) {
        if (next == '\n') {
          records.add(parse(line.toString(StandardCharsets.UTF_8)));
          line.reset();
        } else {
          line.write(next);
        }
      }
    }
    return records;
  }

  private static Record parse(String line) {
    int tab = line.indexOf('\t');
    return new Record(Long.parseLong(line.substring(0, tab)), line.substring(tab + 1));
  }

  private Position readCursor() throws IOException {
    Path file = dir.resolve(CURSOR);
    if (!Files.exists(file)) {
      return null;
    }
    String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
    try {
      return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void writeCursor() throws IOException {
    Path aside = dir.resolve(CURSOR + ".next");
    try (FileChannel channel = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap((cursor.segment() + " " + cursor.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
    Files.move(aside, dir.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Path segmentFile(long seq) {
    return dir.resolve("seg-" + seq + ".log");
  }
}
