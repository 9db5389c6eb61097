package space.mission.backup.snapshot;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyset pages from the real server: every row once, in key order, with a bounded read-ahead. */
class TableReaderTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static Vertx vertx;
  SqlConnection connection;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // a two-column key: the page boundary compares tuples; 1,050 rows in pages of 100 end in a short page
    db.execute("CREATE TABLE pairs (a INT NOT NULL, b INT NOT NULL, note VARCHAR(20) NULL, PRIMARY KEY (a, b))");
    db.execute("INSERT INTO pairs SELECT seq DIV 7, seq MOD 7, CONCAT('n', seq) FROM seq_0_to_1049");
    db.execute("CREATE TABLE round (id INT PRIMARY KEY)");
    db.execute("INSERT INTO round SELECT seq FROM seq_1_to_1000");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void connect() {
    connection = MySQLConnection.connect(vertx, db.url().connectOptions()).await();
  }

  @AfterEach
  void close() {
    connection.close().await();
  }

  @Test
  @DisplayName("Every row once, in key order, across a two-column key and a short last page")
  void everyRowInKeyOrder() {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    TableReader.read(connection, table("pairs"), 100, page -> {
      sizes.add(page.size());
      page.forEach(row -> seen.add(row.getInteger(0) + ":" + row.getInteger(1)));
      return later();
    }).await();
    assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 1050).mapToObj(seq -> seq / 7 + ":" + seq % 7).toList());
    assertThat(sizes).hasSize(11).last().isEqualTo(50);
  }

  @Test
  @DisplayName("A table that fills its last page exactly: one more (empty) page is asked for, no empty page is handed on")
  void exactLastPage() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    TableReader.read(connection, table("round"), 100, page -> {
      sizes.add(page.size());
      return later();
    }).await();
    assertThat(sizes).hasSize(10).allMatch(size -> size == 100);
  }

  @Test
  @DisplayName("While a page is being handled the next ones are read, but never more than PAGES_AHEAD of them")
  void boundedReadAhead() throws Exception {
    TableSchema round = table("round");
    String select = "SELECT id FROM round";
    AtomicInteger asked = new AtomicInteger();
    Promise<Void> firstHandled = Promise.promise();
    List<Integer> firstIds = new ArrayList<>();
    Future<Void> read = vertx.executeBlocking(() -> null).compose(v -> TableReader.readByKey(after -> {
      asked.incrementAndGet();
      return after == null ? connection.preparedQuery(select + " ORDER BY id LIMIT 100").execute()
        : connection.preparedQuery(select + " WHERE id > ? ORDER BY id LIMIT 100").execute(after);
    }, round.keyPositions(), 100, page -> {
      firstIds.add(page.get(0).getInteger(0));
      return firstIds.size() == 1 ? firstHandled.future() : Future.succeededFuture();
    }));
    // the first page is held: the reader asks for it and PAGES_AHEAD more, then stops
    Await.value(Duration.ofSeconds(10), Duration.ofMillis(10), asked::get, count -> count >= 1 + TableReader.PAGES_AHEAD);
    // time must pass: the reader's restraint shows only as pages it does not ask for in the meantime
    Thread.sleep(300);
    assertThat(asked.get()).isEqualTo(1 + TableReader.PAGES_AHEAD);
    assertThat(firstIds).containsExactly(1);
    firstHandled.complete();
    read.await();
    assertThat(firstIds).containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(page -> page * 100 + 1).toList());
    assertThat(asked.get()).isEqualTo(11);
  }

  @Test
  @DisplayName("A page the consumer fails on fails the read, and no page after it is handed on")
  void consumerFailureStops() {
    List<Integer> handed = new CopyOnWriteArrayList<>();
    Future<Void> read = TableReader.read(connection, table("round"), 100, page -> {
      handed.add(page.get(0).getInteger(0));
      return handed.size() == 3 ? Future.failedFuture(new IllegalStateException("disk full")) : later();
    });
    assertThatThrownBy(read::await).hasMessage("disk full");
    assertThat(handed).containsExactly(1, 101, 201);
  }

  private TableSchema table(String name) {
    return SchemaReader.tables(connection, Set.of()).await().stream().filter(table -> table.name().equals(name)).findFirst().orElseThrow();
  }

  /** A consumer's answer that comes a little later, as from a worker. */
  private static Future<Void> later() {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(1, id -> done.complete());
    return done.future();
  }
}
