package space.mission.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import space.mission.runtime.db.DatabaseUrl;

/**
 * A JUnit extension giving a test class a fresh schema of its own, dropped afterwards:
 * {@code @RegisterExtension static FreshDatabase db = new FreshDatabase();} then {@code db.url()}.
 */
public final class FreshDatabase implements BeforeAllCallback, AfterAllCallback {

  private DatabaseUrl url;

  @Override
  public void beforeAll(ExtensionContext context) {
    url = TestDatabase.freshSchema(context.getRequiredTestClass().getSimpleName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (url != null) {
      TestDatabase.drop(url);
    }
  }

  public DatabaseUrl url() {
    if (url == null) {
      throw new IllegalStateException("FreshDatabase must be registered as a static @RegisterExtension field");
    }
    return url;
  }

  /** Runs one statement on this schema. */
  public void execute(String sql) {
    TestDatabase.execute(url(), sql);
  }

  /** The first column of the first row, as a long. */
  public long queryLong(String sql) {
    return TestDatabase.queryLong(url(), sql);
  }

  /** The first column of every row, as text. */
  public java.util.List<String> queryStrings(String sql) {
    return TestDatabase.queryStrings(url(), sql);
  }

  /** Empties {@code tables} (in the order given: children first) between tests; tables not created yet are skipped. */
  public void truncate(String... tables) {
    for (String table : tables) {
      try {
        TestDatabase.execute(url, "DELETE FROM `" + table + "`");
      } catch (IllegalStateException e) {
        if (!String.valueOf(e.getMessage()).contains("doesn't exist")) {
          throw e;
        }
      }
    }
  }
}
