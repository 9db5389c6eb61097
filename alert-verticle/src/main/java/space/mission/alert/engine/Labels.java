package space.mission.alert.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** An alert's labels from name/value pairs, in the order given (the order the API shows them before sorting). */
final class Labels {

  private Labels() {
  }

  static Map<String, String> of(String... pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return labels;
  }
}
