package space.mission.testkit;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fauxqs SNS/SQS emulator (npm {@code fauxqs@1.9.2}, installed in {@code mission-testkit/fauxqs}
 * by {@code npm ci}), run as a Node process on a free loopback port. {@link #down()} and
 * {@link #up()} play an SNS outage (topics, queues and messages are kept); {@link #topics()} makes
 * the topology a test needs.
 */
public final class Fauxqs implements AutoCloseable {

  public static final String DIRECTORY_PROPERTY = "mission.fauxqs.dir";
  public static final String REGION = "us-east-1";

  private final Process process;
  private final Writer control;
  private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
  private final int port;
  private final SnsTopics topics;

  private Fauxqs(Process process) throws IOException, InterruptedException {
    this.process = process;
    this.control = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "fauxqs-output");
    reader.setDaemon(true);
    reader.start();
    this.port = Integer.parseInt(await("FAUXQS_LISTENING").split(" ")[1]);
    this.topics = new SnsTopics(endpoint(), REGION);
  }

  /** Starts fauxqs; skips (or, with every part required, fails) the test when Node or the npm install is missing. */
  public static Fauxqs start() {
    Path directory = Path.of(System.getProperty(DIRECTORY_PROPERTY, "../mission-testkit/fauxqs"));
    if (!Files.isDirectory(directory.resolve("node_modules").resolve("fauxqs"))) {
      Infra.missing("fauxqs (the SNS/SQS emulator)", "run npm ci in " + directory.toAbsolutePath().normalize());
    }
    try {
      Process process = new ProcessBuilder("node", "start.mjs").directory(directory.toFile()).redirectErrorStream(true).start();
      return new Fauxqs(process);
    } catch (IOException e) {
      Infra.missing("fauxqs (the SNS/SQS emulator)", "node could not start it: " + e.getMessage());
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops answering (connections are refused), as SNS being unreachable; state is kept. */
  public void down() {
    command("down", "FAUXQS_DOWN");
  }

  /** Answers again, on the same port. */
  public void up() {
    command("up", "FAUXQS_LISTENING");
  }

  /** Topics, subscribed queues and receiving, on this emulator. */
  public SnsTopics topics() {
    return topics;
  }

  private void command(String line, String answer) {
    try {
      control.write(line + "\n");
      control.flush();
      await(answer);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("fauxqs did not take \"" + line + "\": " + e.getMessage(), e);
    }
  }

  private String await(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String line = output.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive()) {
        break;
      }
    }
    throw new IllegalStateException("fauxqs did not say " + prefix + " (alive: " + process.isAlive() + ", said: " + output + ")");
  }

  @Override
  public void close() {
    topics.close();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
