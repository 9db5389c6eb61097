package space.mission.control.contract;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;

import java.util.List;
import java.util.Random;

/**
 * Strings that match a contract pattern (an anchored ECMA-262 regular expression such as
 * {@code ^[a-z0-9-]+(,[a-z0-9-]+){0,49}$}), of a length within the schema's bounds: a random walk
 * over the pattern's automaton (dk.brics.automaton), stopping in an accepting state.
 */
final class PatternStrings {

  private final Automaton automaton;
  private final int minLength;
  private final int maxLength;

  PatternStrings(String pattern, int minLength, int maxLength) {
    this.automaton = new RegExp(toBrics(pattern), RegExp.NONE).toAutomaton();
    this.automaton.minimize();
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /** The pattern in brics syntax: anchors dropped (brics always matches the whole string), {@code \xHH} as the character. */
  static String toBrics(String pattern) {
    String body = pattern;
    if (!body.startsWith("^") || !body.endsWith("$")) {
      // an unanchored pattern matches anywhere: anything may come before and after
      body = (body.startsWith("^") ? body.substring(1) : ".*" + body);
      body = body.endsWith("$") ? body.substring(0, body.length() - 1) : body + ".*";
    } else {
      body = body.substring(1, body.length() - 1);
    }
    StringBuilder brics = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 3 < body.length() && body.charAt(i + 1) == 'x') {
        brics.append('\\').append((char) Integer.parseInt(body.substring(i + 2, i + 4), 16));
        i += 3;
      } else if (c == '\\' && i + 1 < body.length()) {
        brics.append(c).append(body.charAt(++i));
      } else {
        brics.append(c);
      }
    }
    return brics.toString();
  }

  boolean matches(String text) {
    return automaton.run(text);
  }

  /** A matching string: aims at a length drawn between the bounds (short ones more often), retrying walks that overshoot. */
  String next(Random random) {
    int cap = Math.min(maxLength, random.nextInt(4) == 0 ? maxLength : Math.max(minLength, 24));
    for (int attempt = 0; attempt < 200; attempt++) {
      int target = minLength + random.nextInt(Math.max(1, cap - minLength + 1));
      String walked = walk(random, target);
      if (walked != null) {
        return walked;
      }
    }
    throw new IllegalStateException("no string of " + minLength + ".." + maxLength + " characters found for " + automaton);
  }

  private String walk(Random random, int target) {
    StringBuilder text = new StringBuilder();
    State state = automaton.getInitialState();
    while (true) {
      if (state.isAccept() && text.length() >= target) {
        return text.length() <= maxLength ? text.toString() : null;
      }
      List<Transition> transitions = state.getSortedTransitions(false);
      if (transitions.isEmpty() || text.length() > maxLength) {
        return state.isAccept() && text.length() >= minLength && text.length() <= maxLength ? text.toString() : null;
      }
      Transition transition = transitions.get(random.nextInt(transitions.size()));
      text.append((char) (transition.getMin() + random.nextInt(transition.getMax() - transition.getMin() + 1)));
      state = transition.getDest();
    }
  }
}
