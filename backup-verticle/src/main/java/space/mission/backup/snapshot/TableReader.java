package space.mission.backup.snapshot;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads one table in primary-key order, a page at a time, on a connection whose transaction holds
 * the snapshot: keyset pages ({@code WHERE (key) > (last key) ORDER BY key LIMIT n}), each page
 * asked for while the previous one is being handled. A table without a primary key is read
 * through a server-side cursor ordered by every column. At most two pages are in memory.
 */
public final class TableReader {

  private TableReader() {
  }

  /** Hands every page to {@code consumer}, in order, waiting for each before the one after next. */
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
    Promise<Void> done = Promise.promise();
    page(connection.query(first).execute(), connection, next, key, pageRows, consumer, done);
    return done.future();
  }

  /**
   * One step of the page loop, driven by callbacks rather than by composing futures: a chain of
   * composed futures would keep every page's rows reachable until the last page is read, which is
   * the whole table.
   */
  private static void page(Future<RowSet<Row>> pending, SqlConnection connection, String next, int[] key, int pageRows,
                           Function<List<Row>, Future<Void>> consumer, Promise<Void> done) {
    pending.onFailure(done::tryFail).onSuccess(rows -> {
      List<Row> page = new ArrayList<>(rows.size());
      rows.forEach(page::add);
      if (page.isEmpty()) {
        done.tryComplete();
        return;
      }
      Future<RowSet<Row>> following = page.size() < pageRows ? null : connection.preparedQuery(next).execute(lastKey(page, key));
      consumer.apply(page).onFailure(done::tryFail).onSuccess(handled -> {
        if (following == null) {
          done.tryComplete();
        } else {
          page(following, connection, next, key, pageRows, consumer, done);
        }
      });
    });
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

