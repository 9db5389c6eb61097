import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * S3 for the backup benchmark: S3Proxy on a loopback port, storing objects on disk (not in a JVM's
 * heap), in its own process. Prints "S3PROXY_LISTENING <port>". Args: the directory, the bucket.
 */
public class S3ProxyMain {
  public static void main(String[] args) throws Exception {
    Path root = Files.createDirectories(Path.of(args[0]));
    FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(root.toString());
    store.createContainer(args[1]);
    S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
      .awsAuthentication(AuthenticationType.NONE, null, null).build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    System.out.println("S3PROXY_LISTENING " + proxy.getPort());
    Thread.currentThread().join();
  }
}
