package space.mission.testkit;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3Proxy (a real S3 implementation) in the test JVM, in memory, on a free loopback port, without
 * authentication (clients may sign with any credentials). The test can reach behind the API:
 * list and read objects, overwrite one (corruption), see unfinished multipart uploads, and make
 * part uploads fail after a number of successful ones (an outage in the middle of an upload).
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String REGION = "us-east-1";

  private final FaultyBlobStore store;
  private final S3Proxy proxy;

  private S3ProxyServer(FaultyBlobStore store, S3Proxy proxy) {
    this.store = store;
    this.proxy = proxy;
  }

  public static S3ProxyServer start() {
    FaultyBlobStore store = new FaultyBlobStore(new TransientNio2BlobStore());
    S3Proxy proxy = S3Proxy.builder()
      .blobStore(store)
      .endpoint(URI.create("http://127.0.0.1:0"))
      .awsAuthentication(AuthenticationType.NONE, null, null)
      .build();
    try {
      proxy.start();
      for (long deadline = System.nanoTime() + 10_000_000_000L; !"STARTED".equals(proxy.getState()); Thread.sleep(5)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
      }
    } catch (Exception e) {
      Infra.missing("S3Proxy (S3 in the test JVM)", e.getMessage());
      throw new IllegalStateException(e);
    }
    return new S3ProxyServer(store, proxy);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public void createBucket(String bucket) {
    store.createContainer(bucket);
  }

  /** Keys in {@code bucket} under {@code prefix}, in order. */
  public List<String> keys(String bucket, String prefix) {
    return store.list(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents().stream().map(S3Object::key).toList();
  }

  public byte[] read(String bucket, String key) {
    try (ResponseInputStream<GetObjectResponse> in = store.getBlob(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces an object's bytes behind the client's back. */
  public void overwrite(String bucket, String key, byte[] content) {
    store.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) content.length).build(),
      new ByteArrayInputStream(content));
  }

  /** Multipart uploads started and neither completed nor aborted. */
  public List<software.amazon.awssdk.services.s3.model.MultipartUpload> unfinishedUploads(String bucket) {
    return store.listMultipartUploads(bucket);
  }

  /** From now on, part uploads after the next {@code successes} fail (S3 answers 500); -1 heals. */
  public void failPartsAfter(int successes) {
    store.failAfter.set(successes);
    store.parts.set(0);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class FaultyBlobStore extends ForwardingBlobStore {

    final AtomicInteger failAfter = new AtomicInteger(-1);
    final AtomicInteger parts = new AtomicInteger();

    FaultyBlobStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
      int limit = failAfter.get();
      if (limit >= 0 && parts.incrementAndGet() > limit) {
        throw new IllegalStateException("injected failure: S3 is failing part uploads");
      }
      return super.uploadMultipartPart(upload, request, content);
    }
  }
}
