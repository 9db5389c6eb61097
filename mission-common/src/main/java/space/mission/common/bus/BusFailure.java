package space.mission.common.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes a request/reply consumer answers with ({@code message.fail(code, text)}). They are
 * HTTP status numbers on purpose, so the HTTP side maps them one to one and every consumer speaks
 * the same language.
 */
public enum BusFailure {
  BAD_REQUEST(400), NOT_FOUND(404), CONFLICT(409), UNAVAILABLE(503);

  public final int code;

  BusFailure(int code) {
    this.code = code;
  }

  /** The HTTP status for a failed request on the bus: its code when it is one of ours, 503 when nobody answered. */
  public static int httpStatus(ReplyException failure) {
    if (failure.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      for (BusFailure known : values()) {
        if (known.code == failure.failureCode()) {
          return known.code;
        }
      }
      return 502;
    }
    // NO_HANDLERS or TIMEOUT: the role that answers is not running or not reachable.
    return 503;
  }
}
