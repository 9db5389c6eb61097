package space.mission.backup.snapshot;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads one table in primary-key order, a page at a time, on a connection whose transaction holds
 * the snapshot: keyset pages ({@code WHERE (key) > (last key) ORDER BY key LIMIT n}), each page
 * asked for as soon as the one before it has arrived. A table without a primary key is read
 * through a server-side cursor ordered by every column. At most {@link #PAGES_AHEAD} + 1 pages are
 * in memory.
 */
public final class TableReader {

  /** Pages read, or being read, ahead of the one the consumer is handling. */
  static final int PAGES_AHEAD = 2;

  private TableReader() {
  }

  /** Hands every page to {@code consumer}, in key order, one at a time: the next once the last one's future completes. */
  public static Future<Void> read(SqlConnection connection, TableSchema table, int pageRows, Function<List<Row>, Future<Void>> consumer) {
    int[] key = table.keyPositions();
    return key.length == 0 ? readByCursor(connection, table, pageRows, consumer) : readByKey(connection, table, key, pageRows, consumer);
  }

  private static Future<Void> readByKey(SqlConnection connection, TableSchema table, int[] key, int pageRows,
                                        Function<List<Row>, Future<Void>> consumer) {
    String columns = table.columns().stream().map(column -> TableSchema.quote(column.name())).collect(Collectors.joining(", "));
    String keyColumns = table.primaryKey().stream().map(TableSchema::quote).collect(Collectors.joining(", "));
    String order = " ORDER BY " + keyColumns + " LIMIT " + pageRows;
    String first = "SELECT " + columns + " FROM " + TableSchema.quote(table.name()) + order;
    String placeholders = String.join(", ", java.util.Collections.nCopies(key.length, "?"));
    String next = "SELECT " + columns + " FROM " + TableSchema.quote(table.name())
      + " WHERE (" + keyColumns + ") > (" + placeholders + ")" + order;
    return readByKey(after -> after == null ? connection.preparedQuery(first).execute() : connection.preparedQuery(next).execute(after),
      key, pageRows, consumer);
  }

  /** The keyset page loop over {@code pageAfter}, which answers the page after a key (the first page for null). */
  static Future<Void> readByKey(Function<Tuple, Future<RowSet<Row>>> pageAfter, int[] key, int pageRows,
                                Function<List<Row>, Future<Void>> consumer) {
    return new KeysetPages(pageAfter, key, pageRows, consumer).read();
  }

  /**
   * The page loop, driven by callbacks rather than by composing futures (a chain of composed futures
   * would keep every page's rows reachable until the last page is read, which is the whole table).
   * The next page is asked for as soon as one arrives, while earlier pages are still being handled,
   * up to {@link #PAGES_AHEAD} pages waiting: the server and the consumer then work at the same time
   * instead of taking turns. Every query uses the binary protocol, so rows are decoded one way only.
   */
  private static final class KeysetPages {

    private final Function<Tuple, Future<RowSet<Row>>> pageAfter;
    private final int[] key;
    private final int pageRows;
    private final Function<List<Row>, Future<Void>> consumer;
    private final Promise<Void> done = Promise.promise();
    private final ArrayDeque<List<Row>> waiting = new ArrayDeque<>();
    private Tuple after;
    private boolean asking;
    private boolean lastPageRead;
    private boolean handling;

    KeysetPages(Function<Tuple, Future<RowSet<Row>>> pageAfter, int[] key, int pageRows, Function<List<Row>, Future<Void>> consumer) {
      this.pageAfter = pageAfter;
      this.key = key;
      this.pageRows = pageRows;
      this.consumer = consumer;
    }

    Future<Void> read() {
      ask();
      return done.future();
    }

    private void ask() {
      if (asking || lastPageRead || waiting.size() >= PAGES_AHEAD || done.future().isComplete()) {
        return;
      }
      asking = true;
      pageAfter.apply(after).onFailure(done::tryFail).onSuccess(this::arrived);
    }

    private void arrived(RowSet<Row> rows) {
      asking = false;
      List<Row> page = new ArrayList<>(rows.size());
      rows.forEach(page::add);
      lastPageRead = page.size() < pageRows;
      if (!page.isEmpty()) {
        after = lastKey(page, key);
        waiting.add(page);
      }
      ask();
      handleNext();
    }

    private void handleNext() {
      if (handling || done.future().isComplete()) {
        return;
      }
      List<Row> page = waiting.poll();
      if (page == null) {
        if (lastPageRead) {
          done.tryComplete();
        }
        return;
      }
      handling = true;
      consumer.apply(page).onFailure(done::tryFail).onSuccess(handled -> {
        handling = false;
        ask();
        handleNext();
      });
    }
  }

  private static Tuple lastKey(List<Row> page, int[] key) {
    Row last = page.get(page.size() - 1);
    Tuple tuple = Tuple.tuple();
    for (int position : key) {
      tuple.addValue(last.getValue(position));
    }
    return tuple;
  }

  private static Future<Void> readByCursor(SqlConnection connection, TableSchema table, int pageRows,
                                           Function<List<Row>, Future<Void>> consumer) {
    String columns = table.columns().stream().map(column -> TableSchema.quote(column.name())).collect(Collectors.joining(", "));
    StringBuilder order = new StringBuilder();
    for (int i = 1; i <= table.columns().size(); i++) {
      order.append(i == 1 ? " ORDER BY " : ", ").append(i);
    }
    String sql = "SELECT " + columns + " FROM " + TableSchema.quote(table.name()) + order;
    return connection.prepare(sql).compose(statement -> {
      Promise<Void> done = Promise.promise();
      RowStream<Row> stream = statement.createStream(pageRows);
      List<Row> batch = new ArrayList<>(pageRows);
      Future<?>[] handling = {Future.succeededFuture()};
      stream.exceptionHandler(done::tryFail);
      stream.handler(row -> {
        batch.add(row);
        if (batch.size() >= pageRows) {
          List<Row> full = new ArrayList<>(batch);
          batch.clear();
          stream.pause();
          handling[0] = consumer.apply(full).onSuccess(v -> stream.resume()).onFailure(failure -> {
            stream.close();
            done.tryFail(failure);
          });
        }
      });
      stream.endHandler(v -> handling[0].compose(previous -> batch.isEmpty() ? Future.succeededFuture() : consumer.apply(List.copyOf(batch)))
        .onComplete(result -> {
          if (result.succeeded()) {
            done.tryComplete();
          } else {
            done.tryFail(result.cause());
          }
        }));
      return done.future().eventually(statement::close);
    });
  }
}

