package space.mission.status.api;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast parameter check never accepts what the JSON-schema validator would refuse. */
class ParameterCheckTest {

  static Vertx vertx;
  static OpenAPIContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = OpenApiDocument.load(vertx).await().contract();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  static final List<Object> SAMPLES = List.of("voyager-3", "1977", "a", "", "-bad", "bad-", "UPPER", "with space", "x".repeat(64),
    "x".repeat(65), "NOMINAL", "CRITICAL", "nominal", "W/\"1.2.0\"", "\u00e9t\u00e9", "k\"q", "MTpiOjQy", "a_b-c", "\uD83D\uDE80",
    0L, 1L, 50L, 60L, 61L, 200L, 201L, -1L, Long.MAX_VALUE, "12");

  @Test
  @DisplayName("For every parameter of the contract and many values, the fast check accepts only what the schema validator accepts")
  void neverLooserThanTheValidator() {
    int checked = 0;
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        Optional<ParameterCheck> check = ParameterCheck.of(parameter.getSchema());
        assertThat(check).as("every parameter of this contract gets the fast path: %s", parameter.getName()).isPresent();
        for (Object value : SAMPLES) {
          boolean valid = contract.getSchemaRepository().validator(parameter.getSchema()).validate(value).getValid();
          if (check.get().accepts(value)) {
            assertThat(valid).as("%s %s = %s", operation.getOperationId(), parameter.getName(), value).isTrue();
          }
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
  }
}
