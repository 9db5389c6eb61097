package space.mission.backup.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local mode: objects are files under {@code <data.dir>/backups}. An object being written is a
 * {@code .partial} file renamed into place when complete, so a crash never leaves a half object
 * under the real name. File work runs on worker threads.
 */
public final class LocalBackupStore implements BackupStore {

  static final String PARTIAL = ".partial";

  private final Vertx vertx;
  private final Path root;

  public LocalBackupStore(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  public Path root() {
    return root;
  }

  @Override
  public ObjectUpload upload(String key) {
    Path target = file(key);
    Path partial = target.resolveSibling(target.getFileName() + PARTIAL);
    return new ObjectUpload() {
      private FileChannel channel;

      @Override
      public Future<Void> write(byte[] part) {
        return vertx.executeBlocking(() -> {
          if (channel == null) {
            Files.createDirectories(partial.getParent());
            channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
          }
          ByteBuffer bytes = ByteBuffer.wrap(part);
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
          return null;
        });
      }

      @Override
      public Future<Void> complete() {
        return vertx.executeBlocking(() -> {
          if (channel == null) {
            Files.createDirectories(partial.getParent());
            channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
          }
          channel.force(true);
          channel.close();
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          return null;
        });
      }

      @Override
      public Future<Void> abort() {
        return vertx.executeBlocking(() -> {
          if (channel != null) {
            channel.close();
          }
          Files.deleteIfExists(partial);
          return null;
        });
      }
    };
  }

  @Override
  public Future<Void> put(String key, Buffer content) {
    ObjectUpload upload = upload(key);
    return upload.write(content.getBytes()).compose(done -> upload.complete());
  }

  @Override
  public Future<Buffer> get(String key) {
    return vertx.executeBlocking(() -> {
      try {
        return Buffer.buffer(Files.readAllBytes(file(key)));
      } catch (NoSuchFileException e) {
        throw new NoSuchObjectException(describe(key));
      }
    });
  }

  @Override
  public Future<Path> fetch(String key, Path scratchDir) {
    return vertx.executeBlocking(() -> {
      Path file = file(key);
      if (!Files.isRegularFile(file)) {
        throw new NoSuchObjectException(describe(key));
      }
      return file;
    });
  }

  @Override
  public Future<List<String>> list(String prefix) {
    return vertx.executeBlocking(() -> {
      if (!Files.isDirectory(root)) {
        return List.of();
      }
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(Files::isRegularFile)
          .map(path -> root.relativize(path).toString().replace('\\', '/'))
          .filter(key -> key.startsWith(prefix) && !key.endsWith(PARTIAL))
          .sorted()
          .toList();
      }
    });
  }

  @Override
  public Future<Void> delete(List<String> keys) {
    return vertx.executeBlocking(() -> {
      for (String key : keys) {
        Path file = file(key);
        Files.deleteIfExists(file);
        removeEmptyParents(file.getParent());
      }
      return null;
    });
  }

  @Override
  public Future<Integer> abortUnfinished() {
    return vertx.executeBlocking(() -> {
      if (!Files.isDirectory(root)) {
        return 0;
      }
      List<Path> partials = new ArrayList<>();
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(path -> path.getFileName().toString().endsWith(PARTIAL)).forEach(partials::add);
      }
      for (Path partial : partials) {
        Files.deleteIfExists(partial);
        removeEmptyParents(partial.getParent());
      }
      return partials.size();
    });
  }

  @Override
  public String describe(String key) {
    return file(key).toString();
  }

  @Override
  public void close() {
    // nothing held
  }

  private Path file(String key) {
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root.normalize())) {
      throw new IllegalArgumentException("key outside the backup directory: " + key);
    }
    return file;
  }

  private void removeEmptyParents(Path directory) throws IOException {
    Path normalizedRoot = root.normalize();
    for (Path dir = directory; dir != null && dir.startsWith(normalizedRoot) && !dir.equals(normalizedRoot); dir = dir.getParent()) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(dir);
    }
  }
}
