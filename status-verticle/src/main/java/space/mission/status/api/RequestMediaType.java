package space.mission.status.api;

import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.Locale;
import java.util.Set;

/**
 * Matches a request's Content-Type with the media types its operation accepts, as RFC 9110 says:
 * type and subtype compare case-insensitively and exactly ({@code APPLICATION/JSON} is JSON,
 * {@code application/jsonx} and {@code application/json-seq} are not), and the only parameter a
 * JSON body may carry is {@code charset=utf-8}.
 */
final class RequestMediaType {

  private RequestMediaType() {
  }

  /** The declared media type that {@code header} names; a 415 when it names none. */
  static String match(String header, Set<String> accepted) {
    if (header == null || header.isBlank()) {
      throw unsupported("the request has a body but no Content-Type; send application/json");
    }
    String[] parts = header.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    String declared = accepted.stream().filter(candidate -> candidate.toLowerCase(Locale.ROOT).equals(type)).findFirst()
      .orElseThrow(() -> unsupported("the request body must be " + String.join(" or ", accepted) + ", got " + header));
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
      if (parameter.isEmpty()) {
        continue;
      }
      if (!parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
        throw unsupported("the request body must be UTF-8 " + declared + " with no other parameter, got " + header);
      }
    }
    return declared;
  }

  private static ValidatorException unsupported(String message) {
    return new ValidatorException(message, ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
  }
}
