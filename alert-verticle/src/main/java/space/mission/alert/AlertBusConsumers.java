package space.mission.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.StatusUpdate;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the alert role hears on the bus: readings, status updates and backup events, each read into
 * its record and handed on (readings and backup events to the {@link AlertDecider}, status updates
 * to the {@link StatusCatchUp}, which may hold them during a replay). A message that cannot be read
 * (another build's payload, a hand-made publish) is counted in {@code mission.alert.bus.malformed}
 * (tagged with its address) and logged, and goes no further: it must never throw inside a consumer,
 * where it would only surface as Vert.x's unhandled-exception log with nothing counted.
 */
final class AlertBusConsumers {

  private static final Logger LOG = LoggerFactory.getLogger(AlertBusConsumers.class);

  private final EventBus bus;
  private final AlertDecider decider;
  private final StatusCatchUp status;
  private final MeterRegistry registry;

  AlertBusConsumers(EventBus bus, AlertDecider decider, StatusCatchUp status, MeterRegistry registry) {
    this.bus = bus;
    this.decider = decider;
    this.status = status;
    this.registry = registry;
  }

  /** Registers the consumers; completes once every registration has reached the cluster. */
  Future<?> register() {
    List<MessageConsumer<Object>> consumers = List.of(
      consume(Addresses.MONITOR_READING, ResourceReading::fromJson, decider::onReading),
      consume(Addresses.STATUS_UPDATE, StatusUpdate::fromJson, status::onLive),
      consume(Addresses.BACKUP_EVENT, BackupEvent::fromJson, decider::onBackupEvent));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private <T> MessageConsumer<Object> consume(String address, Function<JsonObject, T> read, Consumer<T> handle) {
    Counter malformed = Counter.builder("mission.alert.bus.malformed").tag("address", address)
      .description("Bus messages the alert role could not read: counted, logged and ignored").register(registry);
    return bus.consumer(address, (Message<Object> message) -> {
      if (decider.stopped()) {
        return;
      }
      T payload;
      try {
        if (!(message.body() instanceof JsonObject json)) {
          throw new IllegalArgumentException("expected a JSON object, got " + describe(message.body()));
        }
        payload = read.apply(json);
      } catch (RuntimeException e) {
        // whatever the payload's reader throws, the payload is at fault: it is the only input here
        malformed.increment();
        LOG.warn("Ignoring a malformed message on {} ({}): {}", address, e.getMessage(), message.body());
        return;
      }
      handle.accept(payload);
    });
  }

  private static String describe(Object body) {
    return body == null ? "nothing" : body.getClass().getSimpleName();
  }
}
