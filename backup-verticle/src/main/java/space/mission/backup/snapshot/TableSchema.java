package space.mission.backup.snapshot;

import space.mission.backup.format.Column;

import java.util.List;

/** A table as the backup sees it: how to create it, the columns it stores (generated ones left out), its primary key. */
public record TableSchema(String name, String createStatement, List<Column> columns, List<String> primaryKey) {

  /** Where each primary-key column is among {@link #columns()}; empty when the table has no usable primary key. */
  public int[] keyPositions() {
    int[] positions = new int[primaryKey.size()];
    for (int k = 0; k < primaryKey.size(); k++) {
      positions[k] = -1;
      for (int c = 0; c < columns.size(); c++) {
        if (columns.get(c).name().equals(primaryKey.get(k))) {
          positions[k] = c;
        }
      }
      if (positions[k] < 0) {
        return new int[0];
      }
    }
    return positions;
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
