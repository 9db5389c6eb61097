package space.mission.runtime.db;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMariaDbSocketTest {

  @Test
  void aShortDirectoryKeepsTheSocketBesideTheData() {
    Path directory = Path.of("/srv/mc/data/mariadb");
    assertThat(EmbeddedMariaDb.socketPath(directory)).isEqualTo(directory.resolve("tmp/mariadb.sock"));
  }

  @Test
  void aDeepDirectoryMovesTheSocketToAShortUniquePath() {
    Path deep = Path.of("/check/work/main/status-verticle/target/restartable-db/c32a8f7a-f4bb-4992-9ad5-898501510680");
    Path other = deep.resolveSibling("0d5e1f2a-f4bb-4992-9ad5-898501510680");

    Path socket = EmbeddedMariaDb.socketPath(deep);

    assertThat(socket.toString().length()).isLessThanOrEqualTo(100);
    assertThat(socket).isNotEqualTo(EmbeddedMariaDb.socketPath(other));
    assertThat(socket).isEqualTo(EmbeddedMariaDb.socketPath(deep));
  }
}
