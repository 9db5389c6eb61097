package space.mission.runtime.metrics;

import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;
import space.mission.runtime.spool.DiskSpool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What Micrometer's CloudWatch registry sends to: instead of calling CloudWatch (and dropping the
 * data when that fails, as the registry does), every datum is written to the metrics spool with its
 * original timestamp and the call succeeds at once; the spool's shipper delivers to CloudWatch, in
 * order, through outages and restarts. Micrometer calls this from its own publishing thread, where
 * the blocking append is allowed.
 */
final class SpoolingCloudWatchClient implements CloudWatchAsyncClient {

  private final DiskSpool spool;
  private final Consumer<DiskSpool.Dropped> onDropped;
  private final Runnable appended;

  SpoolingCloudWatchClient(DiskSpool spool, Consumer<DiskSpool.Dropped> onDropped, Runnable appended) {
    this.spool = spool;
    this.onDropped = onDropped;
    this.appended = appended;
  }

  @Override
  public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest request) {
    List<DiskSpool.Record> records = new ArrayList<>(request.metricData().size());
    for (MetricDatum datum : request.metricData()) {
      records.add(new DiskSpool.Record(datum.timestamp().toEpochMilli(), MetricDatumCodec.encode(datum)));
    }
    try {
      DiskSpool.Dropped dropped = spool.append(records);
      if (dropped != null) {
        onDropped.accept(dropped);
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    appended.run();
    return CompletableFuture.completedFuture(PutMetricDataResponse.builder().build());
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {
    // the spool and the real client belong to CloudWatchMetrics
  }
}
