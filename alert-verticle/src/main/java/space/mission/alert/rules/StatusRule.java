package space.mission.alert.rules;

/**
 * Fires for a mission's subsystem when it reports WARNING or CRITICAL (with that severity); a later
 * NOMINAL report resolves it. WATCH changes nothing.
 */
public record StatusRule(String name) {
}
