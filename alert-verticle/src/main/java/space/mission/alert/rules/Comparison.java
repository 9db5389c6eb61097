package space.mission.alert.rules;

/** How a reading rule compares a value with its threshold. */
public enum Comparison {
  ABOVE(">"), AT_LEAST(">="), BELOW("<"), AT_MOST("<=");

  public final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public boolean holds(double value, double threshold) {
    return switch (this) {
      case ABOVE -> value > threshold;
      case AT_LEAST -> value >= threshold;
      case BELOW -> value < threshold;
      case AT_MOST -> value <= threshold;
    };
  }

  static Comparison of(String symbol) {
    for (Comparison comparison : values()) {
      if (comparison.symbol.equals(symbol)) {
        return comparison;
      }
    }
    return null;
  }
}
