package space.mission.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged launcher run as a separate JVM, the way an operator runs it: for tests of the jar
 * itself and of clusters made of several processes. Output goes to a log file named after the process.
 */
public final class JarProcess implements AutoCloseable {

  public static final String JAR_PROPERTY = "mission.jar";

  private final String name;
  private final Process process;
  private final Path log;

  private JarProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The jar built by this build (failsafe passes its path in the {@code mission.jar} system property). */
  public static Path jar() {
    String path = System.getProperty(JAR_PROPERTY);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException("the launcher jar is not built (system property " + JAR_PROPERTY + " = " + path + ")");
    }
    return Path.of(path);
  }

  public static JarProcess start(String name, Path logDir, Map<String, String> env, String... args) throws IOException {
    return startOn(List.of(), name, logDir, env, args);
  }

  /**
   * Starts the jar behind {@code wrapper}, a command that runs what follows it somewhere else
   * ({@link NamespaceHost#command()}: on a host of its own). The wrapper must exec the JVM, so that
   * signals reach it and its pid is this process's.
   */
  public static JarProcess startOn(List<String> wrapper, String name, Path logDir, Map<String, String> env, String... args)
    throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
      "-jar", jar().toString()));
    command.addAll(List.of(args));
    return run(name, logDir, env, command);
  }

  /** Runs {@code command} as it is (the image's own java line, a user switch before it) with only {@code env}'s MC_ variables. */
  public static JarProcess run(String name, Path logDir, Map<String, String> env, List<String> command) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("MC_"));
    builder.environment().putAll(env);
    return new JarProcess(name, builder.start(), log);
  }

  /** Waits until {@code url} answers 200; fails with the log's tail if the process dies or time runs out. */
  public Duration awaitHttp200(String url, Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before " + url + " answered:\n" + tail());
      }
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - started);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + ": " + url + " did not answer 200 within " + timeout + ":\n" + tail());
  }

  /** For a command that ends by itself (restore): waits for it and answers its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not finish within " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  /** SIGTERM, as Ctrl-C or docker stop would send; answers the exit code. */
  public int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not stop within " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hooks, as a crash. */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Sends a signal by name (STOP freezes the JVM as a long pause would, CONT wakes it). */
  public void signal(String name) throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " exited " + exit);
    }
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  /** Kills what is still running; an interrupted test thread keeps its interrupt flag. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
