package space.mission.aws;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

  private static Settings settings(Map<String, Object> context) {
    Map<String, Object> all = new HashMap<>(Map.of("mission:certificateArn", Synthesis.CERTIFICATE));
    all.putAll(context);
    return Settings.from(new App(AppProps.builder().outdir("target/cdk.out.settings").context(all).build()).getNode());
  }

  @Test
  @DisplayName("the defaults are the documented ones (README, cdk.json)")
  void defaults() {
    Settings settings = settings(Map.of());
    assertThat(settings.instanceType()).isEqualTo("m6i.large");
    assertThat(settings.minInstances()).isEqualTo(2);
    assertThat(settings.maxInstances()).isEqualTo(4);
    assertThat(settings.statusMaxTasks()).isEqualTo(6);
    assertThat(settings.imageTag()).isEqualTo("latest");
    assertThat(settings.imageRepository()).isEmpty();
    assertThat(settings.wafRateLimit()).isEqualTo(2000);
    assertThat(settings.backupRpoHours()).isEqualTo(24);
    assertThat(settings.dbConnectionsAlarm()).isEqualTo(270);
    assertThat(settings.hasDomain()).isFalse();
    assertThat(settings.createsCertificate()).isFalse();
    assertThat(settings.usesConnection()).isFalse();
    assertThat(settings.pipelineBranch()).isEqualTo("main");
  }

  @Test
  @DisplayName("the pipeline's GitHub source needs the connection and owner/repo together, the repository as owner/repo")
  void pipelineSource() {
    String connection = "arn:aws:codestar-connections:us-east-1:123456789012:connection/x";
    assertThatThrownBy(() -> settings(Map.of("mission:pipelineConnectionArn", connection))).hasMessageContaining("mission:pipelineRepository");
    assertThatThrownBy(() -> settings(Map.of("mission:pipelineRepository", "a/b"))).hasMessageContaining("mission:pipelineConnectionArn");
    assertThatThrownBy(() -> settings(Map.of("mission:pipelineConnectionArn", connection, "mission:pipelineRepository", "just-a-name")))
      .hasMessageContaining("owner/repo");
    assertThat(settings(Map.of("mission:pipelineConnectionArn", connection, "mission:pipelineRepository", "a/b")).usesConnection()).isTrue();
    assertThatThrownBy(() -> settings(Map.of("mission:pipelineHostTag", "mission-control"))).hasMessageContaining("mission:pipelineHostTag");
    assertThat(settings(Map.of("mission:pipelineHostTag", "Role=mission-control")).deploysHosts()).isTrue();
    assertThat(settings(Map.of()).deploysHosts()).isFalse();
  }

  @Test
  @DisplayName("sizes below one instance per zone, or a maximum under the minimum, are refused with the keys named; numbers may come as text (-c)")
  void sizes() {
    assertThatThrownBy(() -> settings(Map.of("mission:minInstances", 1))).hasMessageContaining("mission:minInstances");
    assertThatThrownBy(() -> settings(Map.of("mission:minInstances", 3, "mission:maxInstances", 2))).hasMessageContaining("mission:maxInstances");
    assertThatThrownBy(() -> settings(Map.of("mission:statusMaxTasks", 1))).hasMessageContaining("mission:statusMaxTasks");
    assertThatThrownBy(() -> settings(Map.of("mission:maxInstances", "four"))).hasMessageContaining("mission:maxInstances")
      .hasMessageContaining("whole number");
    assertThat(settings(Map.of("mission:maxInstances", "6")).maxInstances()).isEqualTo(6);
  }
}
