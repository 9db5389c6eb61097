package space.mission.monitor.sample;

/**
 * One family of host metrics (CPU, memory, disks, ...). Samplers keep what they need from the
 * previous sample (counters, to turn them into rates) and are called from one worker at a time.
 */
interface FamilySampler {

  void sampleInto(ReadingBuilder reading);
}
