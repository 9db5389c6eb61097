package space.mission.runtime.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A CloudWatch metric datum as one line of JSON in the spool, and back, keeping its original timestamp. */
final class MetricDatumCodec {

  private MetricDatumCodec() {
  }

  static String encode(MetricDatum datum) {
    JsonObject json = new JsonObject().put("n", datum.metricName()).put("t", datum.timestamp().toEpochMilli());
    if (datum.unitAsString() != null) {
      json.put("u", datum.unitAsString());
    }
    if (datum.storageResolution() != null) {
      json.put("r", datum.storageResolution());
    }
    if (datum.hasDimensions()) {
      JsonObject dimensions = new JsonObject();
      datum.dimensions().forEach(dimension -> dimensions.put(dimension.name(), dimension.value()));
      json.put("d", dimensions);
    }
    if (datum.value() != null) {
      json.put("v", datum.value());
    }
    if (datum.hasValues()) {
      json.put("vs", new JsonArray(new ArrayList<>(datum.values())));
    }
    if (datum.hasCounts()) {
      json.put("cs", new JsonArray(new ArrayList<>(datum.counts())));
    }
    StatisticSet statistics = datum.statisticValues();
    if (statistics != null) {
      json.put("s", new JsonObject().put("c", statistics.sampleCount()).put("s", statistics.sum())
        .put("mi", statistics.minimum()).put("ma", statistics.maximum()));
    }
    return json.encode();
  }

  static MetricDatum decode(String line) {
    JsonObject json = new JsonObject(line);
    MetricDatum.Builder datum = MetricDatum.builder()
      .metricName(json.getString("n"))
      .timestamp(Instant.ofEpochMilli(json.getLong("t")));
    if (json.containsKey("u")) {
      datum.unit(json.getString("u"));
    }
    if (json.containsKey("r")) {
      datum.storageResolution(json.getInteger("r"));
    }
    if (json.containsKey("d")) {
      List<Dimension> dimensions = new ArrayList<>();
      json.getJsonObject("d").forEach(entry -> dimensions.add(Dimension.builder().name(entry.getKey()).value(String.valueOf(entry.getValue())).build()));
      datum.dimensions(dimensions);
    }
    if (json.containsKey("v")) {
      datum.value(json.getDouble("v"));
    }
    if (json.containsKey("vs")) {
      datum.values(doubles(json.getJsonArray("vs")));
    }
    if (json.containsKey("cs")) {
      datum.counts(doubles(json.getJsonArray("cs")));
    }
    if (json.containsKey("s")) {
      JsonObject statistics = json.getJsonObject("s");
      datum.statisticValues(StatisticSet.builder().sampleCount(statistics.getDouble("c")).sum(statistics.getDouble("s"))
        .minimum(statistics.getDouble("mi")).maximum(statistics.getDouble("ma")).build());
    }
    return datum.build();
  }

  private static List<Double> doubles(JsonArray array) {
    List<Double> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      values.add(((Number) array.getValue(i)).doubleValue());
    }
    return values;
  }
}
