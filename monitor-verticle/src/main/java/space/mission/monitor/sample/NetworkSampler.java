package space.mission.monitor.sample;

import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import space.mission.common.bus.ResourceReading;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes and packets per second on each interface, from the counters' change since the previous
 * sample; loopback is left out unless asked for. A counter that went backwards (interface reset)
 * gives 0 for that sample. Listing the interfaces costs about 2 ms here, so it is done once a minute
 * (and whenever one disappears); each sample only rereads the counters.
 */
final class NetworkSampler implements FamilySampler {

  private record Counters(long bytesIn, long bytesOut, long packetsIn, long packetsOut, long atMillis) {
  }

  private static final long REDISCOVERY_NANOS = java.time.Duration.ofMinutes(1).toNanos();

  private final HardwareAbstractionLayer hardware;
  private final boolean includeLoopback;
  private Map<String, Counters> previous = new HashMap<>();
  private List<NetworkIF> interfaces;
  private long discoveredAt;

  NetworkSampler(HardwareAbstractionLayer hardware, boolean includeLoopback) {
    this.hardware = hardware;
    this.includeLoopback = includeLoopback;
    sampleInto(null);
  }

  @Override
  public void sampleInto(ReadingBuilder reading) {
    Map<String, Counters> current = new HashMap<>();
    if (interfaces == null || System.nanoTime() - discoveredAt > REDISCOVERY_NANOS) {
      interfaces = hardware.getNetworkIFs(includeLoopback);
      discoveredAt = System.nanoTime();
    }
    boolean vanished = false;
    for (NetworkIF nic : interfaces) {
      if (!nic.updateAttributes()) {
        vanished = true;
        continue;
      }
      Counters now = new Counters(nic.getBytesRecv(), nic.getBytesSent(), nic.getPacketsRecv(), nic.getPacketsSent(), nic.getTimeStamp());
      current.put(nic.getName(), now);
      Counters before = previous.get(nic.getName());
      if (reading == null) {
        continue;
      }
      double seconds = before == null ? 0 : (now.atMillis() - before.atMillis()) / 1000.0;
      reading.network.add(new ResourceReading.Network(nic.getName(),
        rate(before == null ? now.bytesIn() : before.bytesIn(), now.bytesIn(), seconds),
        rate(before == null ? now.bytesOut() : before.bytesOut(), now.bytesOut(), seconds),
        rate(before == null ? now.packetsIn() : before.packetsIn(), now.packetsIn(), seconds),
        rate(before == null ? now.packetsOut() : before.packetsOut(), now.packetsOut(), seconds)));
    }
    previous = current;
    if (vanished) {
      interfaces = null;
    }
    if (reading != null) {
      reading.network.sort((a, b) -> a.name().compareTo(b.name()));
    }
  }

  private static double rate(long before, long now, double seconds) {
    if (seconds <= 0 || now < before) {
      return 0;
    }
    return Math.round((now - before) / seconds * 100) / 100.0;
  }
}
