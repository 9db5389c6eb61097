package space.mission.backup;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.CloudWatchStandIn;
import space.mission.testkit.S3ProxyServer;

import java.nio.file.Path;

/**
 * The backup role in AWS mode for one test class: S3 at S3Proxy (one bucket), CloudWatch at the
 * testkit's stand-in, the role deployed in its own Vert.x. The class starts it from its
 * {@code @BeforeAll} (once its tables exist); as a registered extension it is torn down after the
 * class's last test, Vert.x first so nothing is still talking to the stand-ins when they close.
 * Registered with {@code @Order(AFTER_THE_DATABASE)}, after the class's {@code FreshDatabase} (which
 * keeps the default order), it stops before the database is dropped, as an {@code @AfterAll} did.
 */
final class AwsBackupRig implements AfterAllCallback {

  /** An order after the default one: extensions stop in the reverse of the order they were registered in. */
  static final int AFTER_THE_DATABASE = Order.DEFAULT + 1;

  S3ProxyServer s3;
  CloudWatchStandIn cloudWatch;
  Vertx vertx;
  BackupHarness backups;

  /** Starts the stand-ins, creates {@code bucket} and deploys the role against {@code database}, keeping its files in {@code dataDir}. */
  AwsBackupRig start(DatabaseUrl database, Path dataDir, String bucket) {
    s3 = S3ProxyServer.start();
    s3.createBucket(bucket);
    cloudWatch = CloudWatchStandIn.start();
    vertx = Vertx.vertx();
    backups = new BackupHarness(vertx, database, dataDir, BackupHarness.aws(s3, bucket, cloudWatch)).deploy();
    return this;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (vertx != null) {
      vertx.close().await();
    }
    if (s3 != null) {
      s3.close();
    }
    if (cloudWatch != null) {
      cloudWatch.close();
    }
  }
}
