package space.mission.control;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;
import space.mission.runtime.logs.LocalLogs;

import java.nio.file.Path;

/**
 * This JVM's WARN and ERROR lines as JSON lines in {@code <data.dir>/logs/app.jsonl}, rotated like
 * the monitor's files ({@code app.1.jsonl} is the newest rotated one). It is what the alert role's
 * local log tail reads for its log rules: the shipped ERROR-burst rule tests {@code $.level}.
 * Installed once the configuration says where the data directory is; writes go through a bounded
 * queue on logback's own thread, so a thread that logs never waits for the disk.
 */
final class AppLogFile implements AutoCloseable {

  static final String STREAM = "app";
  private static final String MAX_FILE_SIZE = "10MB";
  private static final int KEEP_FILES = 5;
  private static final int QUEUE_SIZE = 1024;

  private final Logger root;
  private final AsyncAppender async;

  private AppLogFile(Logger root, AsyncAppender async) {
    this.root = root;
    this.async = async;
  }

  /** Starts writing; returns null when logging is not logback (nothing to attach to). */
  static AppLogFile install(Path dataDir) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("app-jsonl");
    file.setFile(LocalLogs.current(dataDir, STREAM).toString());

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(file);
    rolling.setFileNamePattern(LocalLogs.directory(dataDir).resolve(STREAM + ".%i.jsonl").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(KEEP_FILES);
    rolling.start();

    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(FileSize.valueOf(MAX_FILE_SIZE));
    trigger.start();

    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    // one self-contained line per event: no logger-context properties or sequence numbers repeated on every line
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();

    file.setRollingPolicy(rolling);
    file.setTriggeringPolicy(trigger);
    file.setEncoder(encoder);
    file.start();

    ThresholdFilter warnAndAbove = new ThresholdFilter();
    warnAndAbove.setLevel(Level.WARN.levelStr);
    warnAndAbove.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("app-jsonl-async");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    // a full queue drops the line rather than stalling an event loop
    async.setNeverBlock(true);
    async.addFilter(warnAndAbove);
    async.addAppender(file);
    async.start();

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(async);
    return new AppLogFile(root, async);
  }

  /** Detaches and flushes what is queued. */
  @Override
  public void close() {
    root.detachAppender(async);
    async.stop();
  }
}
