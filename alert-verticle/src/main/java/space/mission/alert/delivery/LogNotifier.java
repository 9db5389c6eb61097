package space.mission.alert.delivery;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.alert.store.OutboxEntry;

/** Local mode: the notification is a log line (the alert itself is in the API). */
public final class LogNotifier implements Notifier {

  private static final Logger LOG = LoggerFactory.getLogger("space.mission.alert.NOTIFICATION");

  private final String publicUrl;

  public LogNotifier(String publicUrl) {
    this.publicUrl = publicUrl;
  }

  @Override
  public Future<Void> send(OutboxEntry entry) {
    Message message = Message.of(entry, publicUrl);
    LOG.warn("{} | {}", message.subject(), message.body().getString("what"));
    return Future.succeededFuture();
  }
}
