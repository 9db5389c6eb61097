package space.mission.backup.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import space.mission.backup.BackupSettings;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * AWS mode: objects in an S3 bucket under a key prefix, written with the async client. Large
 * objects go up as multipart uploads, one part at a time; an object that fits in one part is a
 * single PutObject. Server-side encryption is applied when configured.
 *
 * <p>The client computes and checks the SDK's own request and response checksums only where S3
 * requires them: every object's SHA-256 is in the backup's manifest and is checked before a restore
 * writes a row, and this keeps the client compatible with S3-compatible stores (S3Proxy in the tests).
 */
public final class S3BackupStore implements BackupStore {

  private static final int DELETE_BATCH = 1000;

  private final Vertx vertx;
  private final S3AsyncClient s3;
  private final String bucket;
  private final String prefix;
  private final String serverSideEncryption;
  private final String kmsKeyId;

  public S3BackupStore(Vertx vertx, S3AsyncClient s3, String bucket, String prefix, String serverSideEncryption, String kmsKeyId) {
    this.vertx = vertx;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.serverSideEncryption = serverSideEncryption;
    this.kmsKeyId = kmsKeyId;
  }

  public static S3BackupStore create(Vertx vertx, BackupSettings settings) {
    S3AsyncClient client = AwsClients.async(S3AsyncClient.builder()
        // emulators and S3-compatible stores answer on one host: path-style addressing
        .forcePathStyle(settings.aws().endpointFor(AwsSettings.Service.S3).isPresent())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED),
      settings.aws(), AwsSettings.Service.S3);
    return new S3BackupStore(vertx, client, settings.bucket().orElseThrow(), settings.prefix(),
      settings.serverSideEncryption().orElse(null), settings.kmsKeyId().orElse(null));
  }

  @Override
  public ObjectUpload upload(String key) {
    return new MultipartObject(prefix + key);
  }

  @Override
  public Future<Void> put(String key, Buffer content) {
    return putBytes(prefix + key, content.getBytes());
  }

  private Future<Void> putBytes(String fullKey, byte[] bytes) {
    PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(fullKey).contentLength((long) bytes.length);
    if (serverSideEncryption != null) {
      request.serverSideEncryption(serverSideEncryption).ssekmsKeyId(kmsKeyId);
    }
    return on(s3.putObject(request.build(), AsyncRequestBody.fromBytes(bytes))).mapEmpty();
  }

  @Override
  public Future<Buffer> get(String key) {
    return on(s3.getObject(request -> request.bucket(bucket).key(prefix + key), AsyncResponseTransformer.toBytes()))
      .map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()))
      .recover(failure -> Future.failedFuture(missing(failure) ? new NoSuchObjectException(describe(key)) : failure));
  }

  @Override
  public Future<Path> fetch(String key, Path scratchDir) {
    Path target = scratchDir.resolve(key.replace('/', '_'));
    return vertx.executeBlocking(() -> {
        Files.createDirectories(scratchDir);
        Files.deleteIfExists(target);
        return target;
      })
      .compose(file -> on(s3.getObject(request -> request.bucket(bucket).key(prefix + key), AsyncResponseTransformer.toFile(file))))
      .map(response -> target)
      .recover(failure -> Future.failedFuture(missing(failure) ? new NoSuchObjectException(describe(key)) : failure));
  }

  @Override
  public Future<List<String>> list(String under) {
    List<String> keys = new ArrayList<>();
    CompletableFuture<Void> done = s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + under))
      .contents()
      .subscribe((S3Object object) -> keys.add(object.key().substring(prefix.length())));
    return on(done).map(v -> keys.stream().sorted().toList());
  }

  @Override
  public Future<Void> delete(List<String> keys) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
        .map(key -> ObjectIdentifier.builder().key(prefix + key).build()).toList();
      chain = chain.compose(v -> on(s3.deleteObjects(request -> request.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())))
        .compose(response -> response.errors().isEmpty() ? Future.<Void>succeededFuture()
          : Future.failedFuture("S3 did not delete " + response.errors().get(0).key() + ": " + response.errors().get(0).message())));
    }
    return chain;
  }

  @Override
  public Future<Integer> abortUnfinished() {
    return on(s3.listMultipartUploads(request -> request.bucket(bucket).prefix(prefix))).compose(listing -> {
      List<MultipartUpload> uploads = listing.uploads();
      Future<Void> chain = Future.succeededFuture();
      for (MultipartUpload upload : uploads) {
        chain = chain.compose(v -> on(s3.abortMultipartUpload(request -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())))
          .mapEmpty());
      }
      return chain.map(uploads.size());
    });
  }

  @Override
  public String describe(String key) {
    return "s3://" + bucket + "/" + prefix + key;
  }

  @Override
  public void close() {
    s3.close();
  }

  private <T> Future<T> on(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }

  private static boolean missing(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof NoSuchKeyException;
  }

  /**
   * One object: the first part is held back until a second arrives, so an object that fits in one
   * part costs a single PutObject; from the second part on it is a multipart upload.
   */
  private final class MultipartObject implements ObjectUpload {

    private final String fullKey;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] heldFirst;
    private String uploadId;

    MultipartObject(String fullKey) {
      this.fullKey = fullKey;
    }

    @Override
    public Future<Void> write(byte[] part) {
      if (uploadId == null && heldFirst == null) {
        heldFirst = part;
        return Future.succeededFuture();
      }
      Future<Void> started = uploadId != null ? Future.succeededFuture() : start().compose(v -> {
        byte[] first = heldFirst;
        heldFirst = null;
        return uploadPart(first);
      });
      return started.compose(v -> uploadPart(part));
    }

    private Future<Void> start() {
      CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(fullKey);
      if (serverSideEncryption != null) {
        request.serverSideEncryption(serverSideEncryption).ssekmsKeyId(kmsKeyId);
      }
      return on(s3.createMultipartUpload(request.build())).map(response -> {
        uploadId = response.uploadId();
        return null;
      });
    }

    private Future<Void> uploadPart(byte[] bytes) {
      int number = parts.size() + 1;
      return on(s3.uploadPart(request -> request.bucket(bucket).key(fullKey).uploadId(uploadId).partNumber(number)
          .contentLength((long) bytes.length), AsyncRequestBody.fromBytes(bytes)))
        .map(response -> {
          parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
          return null;
        });
    }

    @Override
    public Future<Void> complete() {
      if (uploadId == null) {
        return putBytes(fullKey, heldFirst == null ? new byte[0] : heldFirst);
      }
      return on(s3.completeMultipartUpload(request -> request.bucket(bucket).key(fullKey).uploadId(uploadId)
        .multipartUpload(upload -> upload.parts(parts)))).mapEmpty();
    }

    @Override
    public Future<Void> abort() {
      heldFirst = null;
      if (uploadId == null) {
        return Future.succeededFuture();
      }
      String id = uploadId;
      uploadId = null;
      return on(s3.abortMultipartUpload(request -> request.bucket(bucket).key(fullKey).uploadId(id))).mapEmpty();
    }
  }
}
