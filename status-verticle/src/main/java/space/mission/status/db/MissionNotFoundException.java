package space.mission.status.db;

/** The mission named in a request does not exist. */
public final class MissionNotFoundException extends RuntimeException {

  private final String missionId;

  public MissionNotFoundException(String missionId) {
    super("mission " + missionId + " does not exist", null, false, false);
    this.missionId = missionId;
  }

  public String missionId() {
    return missionId;
  }
}
