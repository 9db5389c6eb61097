package space.mission.status;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.status.api.OpenApiDocument;
import space.mission.testkit.FreshDatabase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document is the contract: the router has exactly its operations, and it is served as written. */
class OpenApiContractTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  static JsonObject document;

  @BeforeAll
  static void parse() {
    document = OpenApiDocument.parse(OpenApiDocument.read());
  }

  private static Set<String> contractRoutes() {
    Set<String> routes = new HashSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!method.equals("parameters")) {
          routes.add(method.toUpperCase() + " " + path.replaceAll("\\{([^}]+)}", ":$1"));
        }
      }
    }
    return routes;
  }

  @Test
  @DisplayName("Every route the API answers is in the OpenAPI document, and every operation in it is answered")
  void routesMatchContract() {
    List<String> routes = status.verticle().routes();
    assertThat(routes).isNotEmpty();
    assertThat(new HashSet<>(routes)).isEqualTo(contractRoutes());
  }

  @Test
  @DisplayName("/openapi.yaml serves the document as written, and it is a valid OpenAPI 3.1 contract")
  void servedAsWritten() {
    HttpResponse<Buffer> response = status.api().get("/openapi.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/yaml");
    assertThat(response.body()).isEqualTo(OpenApiDocument.read());
    OpenAPIContract contract = OpenAPIContract.from(status.vertx(), OpenApiDocument.forRouter(document)).await();
    assertThat(contract.operations()).isNotEmpty();
  }

  @Test
  @DisplayName("Every write operation requires bearer authentication; every read declares it needs none (probes, metrics and the document never)")
  void writesDeclareSecurity() {
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (method.equals("parameters")) {
          continue;
        }
        JsonArray security = item.getJsonObject(method).getJsonArray("security");
        assertThat(security).as("%s %s declares its security", method, path).isNotNull();
        boolean anonymous = security.isEmpty() || security.contains(new JsonObject());
        assertThat(anonymous).as("%s %s admits a caller without a token", method, path).isEqualTo(method.equals("get"));
        if (method.equals("get")) {
          // reads under /api/ need a token only when the operator sets MC_API_READS_REQUIRE_TOKEN; the rest never
          assertThat(security).as("%s %s", method, path).isEqualTo(path.startsWith("/api/")
            ? new JsonArray().add(new JsonObject()).add(new JsonObject().put("bearerAuth", new JsonArray())) : new JsonArray());
        } else {
          assertThat(security).as("%s %s", method, path).isEqualTo(new JsonArray().add(new JsonObject().put("bearerAuth", new JsonArray())));
        }
      }
    }
  }

  @Test
  @DisplayName("Every key in the document has a value: none is split off an unquoted inline description by its commas")
  void noKeyWithoutAValue() {
    List<String> empty = new ArrayList<>();
    collectKeysWithoutValue(document, "#", empty);
    assertThat(empty).isEmpty();
  }

  private static void collectKeysWithoutValue(Object node, String where, List<String> empty) {
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        Object value = object.getValue(key);
        if (value == null) {
          empty.add(where + "/" + key);
        }
        collectKeysWithoutValue(value, where + "/" + key, empty);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        collectKeysWithoutValue(array.getValue(i), where + "/" + i, empty);
      }
    }
  }

  @Test
  @DisplayName("Every operation documents its error answers as problem+json")
  void errorsAreProblems() {
    OpenAPIContract contract = OpenApiDocument.load(status.vertx()).await().contract();
    for (Operation operation : contract.operations()) {
      if (operation.getOpenAPIPath().startsWith("/api/")) {
        JsonObject responses = document.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
          .getJsonObject(operation.getHttpMethod().name().toLowerCase()).getJsonObject("responses");
        assertThat(responses.fieldNames()).as(operation.getOperationId()).contains("400");
      }
    }
  }
}
