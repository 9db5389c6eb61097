package space.mission.monitor.sample;

import oshi.software.os.OperatingSystem;

/** How many processes run, and how long the host has been up. */
final class SystemSampler implements FamilySampler {

  private final OperatingSystem os;

  SystemSampler(OperatingSystem os) {
    this.os = os;
  }

  @Override
  public void sampleInto(ReadingBuilder reading) {
    reading.processes = os.getProcessCount();
    reading.uptimeSeconds = os.getSystemUptime();
  }
}
