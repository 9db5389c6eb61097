package space.mission.control;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.Infra;
import space.mission.testkit.JarProcess;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher jar started the way the container image starts it, read from the {@code Dockerfile}
 * itself (its runtime stage's user id, ENV, WORKDIR, the RUN that trains its class-data archive,
 * ENTRYPOINT and HEALTHCHECK script), so a change that breaks the container's start fails here rather
 * than in a pipeline that can build images.
 * No Docker engine runs here: the user switch is {@code setpriv}, the container's memory limit is
 * {@code -XX:MaxRAM}, and the image's paths are folders of the test's own.
 */
class ImageStartIT {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final Path DOCKERFILE = Path.of("..", "Dockerfile");
  static final Path LOGS = Path.of("target", "it-logs");
  static final String JAR = "/opt/mission-control/mission-control.jar";
  static final String ARCHIVE = "/opt/mission-control/mission-control.jsa";

  @Test
  @DisplayName("the jar run as the image runs it (its uid, ENV, data directory, class-data archive trained as the image build does, "
    + "ENTRYPOINT) maps that archive, gets healthy by the image's HEALTHCHECK within its start period, records an update, "
    + "writes its data as that user, and stops on SIGTERM")
  void startsAsTheImageDoes(@TempDir Path root) throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      Infra.missing("root", "switching to the image's user id needs root");
    }
    Image image = Image.read(Files.readString(DOCKERFILE));
    assertThat(image.entrypoint()).containsExactly("java", "-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR);

    // the image's folders, owned as the image owns them: /opt by root, the work dir by the image's user
    Path opt = Files.createDirectories(root.resolve("opt/mission-control"));
    Files.copy(JarProcess.jar(), opt.resolve("mission-control.jar"), StandardCopyOption.REPLACE_EXISTING);
    Path healthcheck = opt.resolve("healthcheck.sh");
    Files.copy(Path.of("..").resolve(image.copySourceOf(image.healthcheck())), healthcheck, StandardCopyOption.REPLACE_EXISTING);
    Path home = Files.createDirectories(root.resolve("var/lib/mission"));
    for (Path p = root; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
      allowTraversal(p);
    }
    allowTraversal(root.resolve("opt"));
    allowTraversal(opt);
    allowTraversal(root.resolve("var"));
    allowTraversal(root.resolve("var/lib"));
    Files.setPosixFilePermissions(opt.resolve("mission-control.jar"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(healthcheck, PosixFilePermissions.fromString("rwxr-xr-x"));
    trainClassData(image, root);
    chown(home, image.uid());
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));

    int port = LauncherJarIT.freePort();
    int management = LauncherJarIT.freePort();
    String token = "image-token-" + UUID.randomUUID();
    Map<String, String> env = new LinkedHashMap<>();
    image.env().forEach((key, value) -> env.put(key, value.replace("/var/lib/mission", home.toString())));
    env.put("HOME", home.toString());
    env.put("MC_ROLES", "status");
    env.put("MC_DB_URL", db.url().url());
    env.put("MC_API_TOKENS", token);
    env.put("MC_HTTP_PORT", String.valueOf(port));
    env.put("MC_MANAGEMENT_PORT", String.valueOf(management));
    env.put("MC_CLUSTER_NAME", "mc-image-" + UUID.randomUUID());
    env.put("MC_CLUSTER_MEMBERS", "127.0.0.1");
    env.put("MC_CLUSTER_HOST", "127.0.0.1");
    // a 1 GiB container: the JVM sizes its heap from the limit it sees
    env.put("JAVA_TOOL_OPTIONS", image.env().get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAM=1g");

    // WORKDIR, USER, then the ENTRYPOINT with its java and jar at this machine's paths
    List<String> command = new ArrayList<>(List.of("env", "--chdir", home.toString(), "--"));
    command.addAll(asUser(image.uid()));
    command.add(java().toString());
    image.entrypoint().subList(1, image.entrypoint().size()).forEach(arg -> command.add(inRoot(root, arg)));
    try (JarProcess jar = JarProcess.run("image-start", LOGS, env, command)) {
      long started = System.nanoTime();

      Duration healthy = null;
      while (System.nanoTime() - started < image.startPeriod().toNanos()) {
        if (!jar.handle().isAlive()) {
          throw new AssertionError("the image's process exited before it was healthy:\n" + jar.tail());
        }
        if (runHealthcheck(image, healthcheck, env) == 0) {
          healthy = Duration.ofNanos(System.nanoTime() - started);
          break;
        }
        // the image's HEALTHCHECK probes every --interval; a second here only finds the moment sooner
        TimeUnit.SECONDS.sleep(1);
      }
      assertThat(healthy).as("healthy within the HEALTHCHECK's start period %s:\n%s", image.startPeriod(), jar.tail()).isNotNull();
      System.out.println("image-start healthy in " + healthy.toMillis() + " ms");
      // a JVM that cannot use the archive starts without it, silently: only its mappings tell
      Path archive = Path.of(inRoot(root, ARCHIVE));
      assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(jar.handle().pid()), "maps")))
        .as("the image's JVM maps its class-data archive %s", archive)
        .anyMatch(line -> line.endsWith(" " + archive));

      HttpResponse<String> created = LauncherJarIT.send(LauncherJarIT.post(port, "/api/v1/missions", token, "{\"name\":\"From the image\"}"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      HttpResponse<String> update = LauncherJarIT.send(LauncherJarIT.post(port, "/api/v1/missions/from-the-image/updates", token,
        "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"in a container\"}"));
      assertThat(update.statusCode()).as(update.body()).isEqualTo(201);
      HttpResponse<String> rollup = LauncherJarIT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/missions/from-the-image/status")));
      assertThat(rollup.body()).contains("in a container");

      Path data = Path.of(env.get("MC_DATA_DIR"));
      assertThat(Files.isDirectory(data)).as("the image's data directory %s was made", data).isTrue();
      assertThat(Files.getAttribute(data, "unix:uid")).as("owner of %s", data).isEqualTo(image.uid());
      assertThat(jar.output()).as("JSON log lines (MC_LOG_FORMAT=%s)", env.get("MC_LOG_FORMAT")).contains("{\"");

      int exit = jar.stop(Duration.ofSeconds(30));
      assertThat(exit).as(jar.tail()).isIn(0, 143);
      assertThat(jar.output()).contains("Mission Control stopped");
    }
  }

  /** The image build's RUN that makes the class-data archive, run here as the build runs it: as root, on this JVM. */
  private static void trainClassData(Image image, Path root) throws Exception {
    List<String> run = image.runs().stream().filter(args -> args.stream().anyMatch(arg -> arg.equals(ARCHIVE))).findFirst()
      .orElseThrow(() -> new AssertionError("a RUN [...] in the runtime stage that makes " + ARCHIVE));
    Path script = Path.of(inRoot(root, run.get(0)));
    Files.copy(Path.of("..").resolve(image.copySourceOf(run.get(0))), script, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = run.stream().map(arg -> inRoot(root, arg)).toList();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(Files.createDirectories(LOGS).resolve("image-class-data.log").toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("MC_") || key.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().put("PATH", java().getParent() + ":" + System.getenv("PATH"));
    long started = System.nanoTime();
    Process process = builder.start();
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the class-data training ended within 180 s").isTrue();
    String log = Files.readString(LOGS.resolve("image-class-data.log"));
    assertThat(process.exitValue()).as("the class-data training:\n%s", log).isZero();
    System.out.println("image class data trained in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms: "
      + log.lines().reduce((first, second) -> second).orElse(""));
  }

  /** A path of the image ({@code /opt/mission-control/...}) in the test's own root. */
  private static String inRoot(Path root, String arg) {
    return arg.replace("/opt/mission-control/", root.resolve("opt/mission-control") + "/");
  }

  private static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private static int runHealthcheck(Image image, Path script, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(asUser(image.uid()));
    command.add(script.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().keySet().removeIf(key -> key.startsWith("MC_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(image.timeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private static List<String> asUser(int uid) {
    return List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups");
  }

  private static void allowTraversal(Path dir) throws Exception {
    if (Files.isDirectory(dir)) {
      new ProcessBuilder("chmod", "o+x", dir.toString()).inheritIO().start().waitFor();
    }
  }

  private static void chown(Path path, int uid) throws Exception {
    int exit = new ProcessBuilder("chown", uid + ":" + uid, path.toString()).inheritIO().start().waitFor();
    assertThat(exit).as("chown %s", path).isZero();
  }

  /** The runtime stage of the Dockerfile: the facts about how the container starts. */
  record Image(int uid, Map<String, String> env, List<List<String>> runs, List<String> entrypoint, String healthcheck,
               Duration startPeriod, Duration timeout, Map<String, String> copies) {

    static Image read(String dockerfile) {
      String joined = dockerfile.replaceAll("\\\\\\r?\\n", " ");
      String runtime = joined.substring(joined.lastIndexOf("\nFROM "));
      Matcher uid = Pattern.compile("useradd [^\\n]*--uid (\\d+)").matcher(runtime);
      assertThat(uid.find()).as("useradd --uid in the runtime stage").isTrue();
      Map<String, String> env = new HashMap<>();
      Matcher envLine = Pattern.compile("(?m)^ENV (.*)$").matcher(runtime);
      while (envLine.find()) {
        Matcher pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"([^\"]*)\"|\\S+)").matcher(envLine.group(1));
        while (pair.find()) {
          env.put(pair.group(1), pair.group(3) != null ? pair.group(3) : pair.group(2));
        }
      }
      assertThat(env).containsKeys("MC_DATA_DIR", "JAVA_TOOL_OPTIONS");
      List<List<String>> runs = new ArrayList<>();
      Matcher run = Pattern.compile("(?m)^RUN \\[(.*)]$").matcher(runtime);
      while (run.find()) {
        runs.add(quoted(run.group(1)));
      }
      Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(runtime);
      assertThat(entry.find()).as("ENTRYPOINT in the runtime stage").isTrue();
      Matcher health = Pattern.compile("(?m)^HEALTHCHECK (.*) CMD \\[\"([^\"]+)\"]$").matcher(runtime);
      assertThat(health.find()).as("HEALTHCHECK ... CMD [script] in the runtime stage").isTrue();
      Map<String, String> copies = new HashMap<>();
      Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(runtime);
      while (copy.find()) {
        copies.put(copy.group(2), copy.group(1));
      }
      return new Image(Integer.parseInt(uid.group(1)), env, runs, quoted(entry.group(1)), health.group(2),
        option(health.group(1), "start-period"), option(health.group(1), "timeout"), copies);
    }

    String copySourceOf(String target) {
      String source = copies.get(target);
      assertThat(source).as("a COPY from the build context to %s", target).isNotNull();
      return source;
    }

    private static List<String> quoted(String list) {
      List<String> items = new ArrayList<>();
      Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(list);
      while (item.find()) {
        items.add(item.group(1));
      }
      return items;
    }

    private static Duration option(String options, String name) {
      Matcher value = Pattern.compile("--" + name + "=(\\d+)s").matcher(options);
      assertThat(value.find()).as("HEALTHCHECK --%s=<seconds>s", name).isTrue();
      return Duration.ofSeconds(Long.parseLong(value.group(1)));
    }
  }
}
