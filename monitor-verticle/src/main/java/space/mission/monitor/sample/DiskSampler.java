package space.mission.monitor.sample;

import com.sun.jna.Platform;
import com.sun.jna.platform.linux.LibC;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;
import space.mission.common.bus.ResourceReading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every real, local filesystem: space and inodes. Memory-backed and read-only image filesystems
 * (the configured types) are left out, and so are mounts of no size; a mount seen twice (bind
 * mounts) counts once.
 *
 * <p>Finding the filesystems is the expensive part (OSHI reads the mount table and asks udev about
 * each device: about 5 ms here), so it is done once a minute; each sample then asks the kernel for
 * each mount's figures with one {@code statvfs} call (microseconds). Off Linux, OSHI refreshes each
 * store instead.
 */
final class DiskSampler implements FamilySampler {

  private static final Duration REDISCOVERY = Duration.ofMinutes(1);

  private record Mount(String path, String type, OSFileStore store) {
  }

  private final FileSystem fileSystem;
  private final Set<String> excludedTypes;
  private final boolean linux = Platform.isLinux();
  private List<Mount> mounts;
  private long discoveredAt;

  DiskSampler(FileSystem fileSystem, List<String> excludedTypes) {
    this.fileSystem = fileSystem;
    this.excludedTypes = Set.copyOf(excludedTypes);
  }

  @Override
  public void sampleInto(ReadingBuilder reading) {
    if (mounts == null || System.nanoTime() - discoveredAt > REDISCOVERY.toNanos()) {
      discover();
    }
    boolean vanished = false;
    for (Mount mount : mounts) {
      ResourceReading.Disk disk = linux ? statvfs(mount) : refreshed(mount);
      if (disk == null) {
        vanished = true;
      } else if (disk.totalBytes() > 0) {
        reading.disks.add(disk);
      }
    }
    if (vanished) {
      // unmounted since the last look: look again next time
      mounts = null;
    }
  }

  private void discover() {
    List<Mount> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (OSFileStore store : fileSystem.getFileStores(true)) {
      if (!excludedTypes.contains(store.getType()) && store.getTotalSpace() > 0 && seen.add(store.getMount())) {
        found.add(new Mount(store.getMount(), store.getType(), store));
      }
    }
    found.sort((a, b) -> a.path().compareTo(b.path()));
    mounts = found;
    discoveredAt = System.nanoTime();
  }

  private static ResourceReading.Disk statvfs(Mount mount) {
    LibC.Statvfs stats = new LibC.Statvfs();
    if (LibC.INSTANCE.statvfs(mount.path(), stats) != 0) {
      return null;
    }
    long unit = stats.f_frsize.longValue() > 0 ? stats.f_frsize.longValue() : stats.f_bsize.longValue();
    long total = stats.f_blocks.longValue() * unit;
    long free = stats.f_bfree.longValue() * unit;
    long inodesTotal = Math.max(0, stats.f_files.longValue());
    long inodesFree = Math.max(0, stats.f_ffree.longValue());
    return new ResourceReading.Disk(mount.path(), mount.type(), total - free, total, Math.max(0, inodesTotal - inodesFree), inodesTotal);
  }

  private static ResourceReading.Disk refreshed(Mount mount) {
    OSFileStore store = mount.store();
    if (!store.updateAttributes()) {
      return null;
    }
    long total = store.getTotalSpace();
    long inodesTotal = Math.max(0, store.getTotalInodes());
    return new ResourceReading.Disk(mount.path(), mount.type(), total - store.getFreeSpace(), total,
      Math.max(0, inodesTotal - Math.max(0, store.getFreeInodes())), inodesTotal);
  }
}
