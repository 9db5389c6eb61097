package space.mission.control;

import io.vertx.core.Deployable;
import space.mission.alert.AlertSettings;
import space.mission.alert.AlertVerticle;
import space.mission.alert.rules.RuleParser;
import space.mission.backup.BackupSettings;
import space.mission.backup.BackupVerticle;
import space.mission.common.config.ConfigReader;
import space.mission.monitor.MonitorSettings;
import space.mission.monitor.MonitorVerticle;
import space.mission.status.StatusSettings;
import space.mission.status.StatusVerticle;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The roles a JVM can run, each a verticle with its own config section. */
enum Role {

  STATUS(StatusVerticle.ROLE, StatusVerticle::new, StatusSettings::from, true, false),
  MONITOR(MonitorVerticle.ROLE, MonitorVerticle::new, MonitorSettings::from, false, false),
  ALERT(AlertVerticle.ROLE, AlertVerticle::new, config -> {
    AlertSettings settings = AlertSettings.from(config);
    RuleParser.read(settings.rulesFile(), settings.rules());
  }, true, true),
  BACKUP(BackupVerticle.ROLE, BackupVerticle::new, BackupSettings::from, true, true);

  final String id;
  final Supplier<Deployable> verticle;
  /** Reads the role's settings, failing with a ConfigException as the role itself would at start. */
  final Consumer<ConfigReader> validate;
  final boolean needsDatabase;
  /** Active on one instance at a time however many run (it sends notifications or takes backups). */
  final boolean singleton;

  Role(String id, Supplier<Deployable> verticle, Consumer<ConfigReader> validate, boolean needsDatabase, boolean singleton) {
    this.id = id;
    this.verticle = verticle;
    this.validate = validate;
    this.needsDatabase = needsDatabase;
    this.singleton = singleton;
  }

  /** What the launcher deploys: the role's verticle, or for a singleton the lease holder that deploys it. */
  Deployable deployable() {
    return singleton ? new SingletonRole(this) : verticle.get();
  }

  static List<String> ids() {
    return Arrays.stream(values()).map(role -> role.id).toList();
  }

  static Role of(String id) {
    for (Role role : values()) {
      if (role.id.equalsIgnoreCase(id.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role \"" + id + "\"; the roles are " + String.join(", ", ids()));
  }
}
