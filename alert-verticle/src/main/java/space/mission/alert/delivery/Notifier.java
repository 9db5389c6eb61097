package space.mission.alert.delivery;

import io.vertx.core.Future;
import space.mission.alert.store.OutboxEntry;

/** Where notifications go: SNS in AWS mode, the log in local mode. A failed future means "retry later". */
public interface Notifier {

  Future<Void> send(OutboxEntry notification);

  default void close() {
  }
}
