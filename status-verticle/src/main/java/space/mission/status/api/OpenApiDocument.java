package space.mission.status.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI document ({@code openapi.yaml} on the classpath): what {@code /openapi.yaml} serves,
 * byte for byte, and the contract the router is built from and validates requests against.
 */
public record OpenApiDocument(Buffer text, JsonObject tree, OpenAPIContract contract) {

  public static final String RESOURCE = "openapi.yaml";

  private static final Set<String> ROUTER_MEDIA_TYPES = Set.of("application/json", "text/plain");
  /** Only the path of a server URL matters to the router; this origin makes a relative one absolute. */
  private static final URI ROUTER_ORIGIN = URI.create("http://instance.invalid");

  /** Reads the document (on a worker: it is classpath I/O) and builds the router's contract from it. */
  public static Future<OpenApiDocument> load(Vertx vertx) {
    return vertx.executeBlocking(OpenApiDocument::read)
      .compose(text -> {
        JsonObject tree = parse(text);
        return OpenAPIContract.from(vertx, forRouter(tree)).map(contract -> new OpenApiDocument(text, tree, contract));
      });
  }

  public static Buffer read() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public static JsonObject parse(Buffer text) {
    Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text.toString(StandardCharsets.UTF_8));
    return new JsonObject(Json.encode(tree));
  }

  /**
   * The document as the router gets it. vertx-openapi refuses response media types it cannot
   * validate (application/problem+json, application/yaml), though it never validates responses
   * here; those response contents are dropped from the router's copy only. It also takes only
   * absolute server URLs (it reads just their base path), while the document's is relative (each
   * instance serves the API it describes): the router's copy resolves it against a placeholder
   * origin, keeping the path. Requests, which it does validate, are untouched, and /openapi.yaml
   * serves the document as written.
   */
  public static JsonObject forRouter(JsonObject document) {
    JsonObject copy = document.copy();
    for (Object server : copy.getJsonArray("servers", new JsonArray())) {
      if (server instanceof JsonObject entry && entry.getString("url", "").startsWith("/")) {
        entry.put("url", ROUTER_ORIGIN.resolve(entry.getString("url")).toString());
      }
    }
    List<JsonObject> responseSets = new ArrayList<>();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject operation && operation.containsKey("responses")) {
          responseSets.add(operation.getJsonObject("responses"));
        }
      }
    }
    anchorPatterns(copy);
    responseSets.add(copy.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject()));
    for (JsonObject responses : responseSets) {
      for (String status : responses.fieldNames()) {
        JsonObject content = responses.getJsonObject(status).getJsonObject("content");
        if (content != null) {
          content.fieldNames().removeIf(type -> !ROUTER_MEDIA_TYPES.contains(type));
        }
      }
    }
    return copy;
  }

  /**
   * JSON Schema patterns are ECMA-262 regular expressions, where {@code $} matches only at the end
   * of the text; in Java it also matches before a final line terminator, so {@code "nl\n"} passed
   * {@code ^[a-z]+$}. The router's copy gets {@code \z} for every {@code $} outside a character
   * class, which means in Java what {@code $} means in the contract.
   */
  static void anchorPatterns(Object node) {
    if (node instanceof JsonObject object) {
      for (String key : List.copyOf(object.fieldNames())) {
        Object value = object.getValue(key);
        if ("pattern".equals(key) && value instanceof String pattern) {
          object.put(key, javaPattern(pattern));
        } else {
          anchorPatterns(value);
        }
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(OpenApiDocument::anchorPatterns);
    }
  }

  static String javaPattern(String ecma) {
    StringBuilder java = new StringBuilder(ecma.length() + 2);
    boolean inClass = false;
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\' && i + 1 < ecma.length()) {
        java.append(c).append(ecma.charAt(++i));
      } else if (c == '[') {
        inClass = true;
        java.append(c);
      } else if (c == ']') {
        inClass = false;
        java.append(c);
      } else if (c == '$' && !inClass) {
        java.append("\\z");
      } else {
        java.append(c);
      }
    }
    return java.toString();
  }
}
